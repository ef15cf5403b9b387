// Calls the app's HTTP API with the user's function key. The key lives only in session storage (or local storage
// when the user ticks "remember"); it is never written into the page.
const KEY_NAME = 'bat.functionKey';

// The API sits next to the dashboard: this file is /api/dashboard/api.js, the routes are /api/<route>.
const API_BASE = new URL('../', import.meta.url);

export class ApiError extends Error {
  constructor(status, problem, route) {
    super(problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.route = route;
  }

  /** Field name → messages from RFC 7807 validation problem details. */
  get fieldErrors() { return this.problem?.errors ?? {}; }
}

export function storedKey() {
  return sessionStorage.getItem(KEY_NAME) ?? localStorage.getItem(KEY_NAME);
}

export function storeKey(key, remember) {
  forgetKey();
  (remember ? localStorage : sessionStorage).setItem(KEY_NAME, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_NAME);
  localStorage.removeItem(KEY_NAME);
}

/** Counts calls so the page can say how many one refresh made. */
export const callStats = { total: 0 };

/**
 * One JSON call. `key` defaults to the stored function key; admin actions pass the admin key they just asked for.
 * Resolves to the parsed body; rejects with ApiError (status 0 when the network failed).
 */
export async function call(route, { method = 'GET', key = storedKey(), body, query } = {}) {
  const url = new URL(route, API_BASE);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  }
  const headers = { Accept: 'application/json' };
  if (key) headers['x-functions-key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  callStats.total++;
  let response;
  try {
    response = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, { title: 'network error' }, route);
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  // The detailed health check answers 503 with the full report when a component is unhealthy: that is data.
  if (response.ok || (response.status === 503 && route === 'health/detailed' && parsed?.database)) return parsed;
  throw new ApiError(response.status, parsed, route);
}
