// Numbers and times as Korean traders read them: won without decimals and with grouping, BTC to 8 places,
// times in KST (UTC on hover). Values arrive as JSON numbers (decimal on the server, invariant culture on the wire).
const grouped0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const kstParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

const MINUS = '\u2212';

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/** ₩1,234,567 (rounded to the won); − for losses; '—' when absent. */
export function krw(value) {
  if (!isNumber(value)) return '—';
  const rounded = Math.round(value);
  return (rounded < 0 ? MINUS : '') + '₩' + grouped0.format(Math.abs(rounded));
}

/** +₩1,234 / −₩1,234 for profit and loss. */
export function krwSigned(value) {
  if (!isNumber(value)) return '—';
  return (Math.round(value) > 0 ? '+' : '') + krw(value);
}

export function btc(value) {
  return isNumber(value) ? value.toFixed(8) : '—';
}

export function pct(value, digits = 2) {
  if (!isNumber(value)) return '—';
  return (value < 0 ? MINUS : '') + Math.abs(value).toFixed(digits) + '%';
}

export function pctSigned(value, digits = 2) {
  if (!isNumber(value)) return '—';
  return (value > 0 ? '+' : '') + pct(value, digits);
}

export function num(value, digits = 4) {
  if (!isNumber(value)) return '—';
  return (value < 0 ? MINUS : '') + Math.abs(value).toFixed(digits);
}

export function int(value) {
  return isNumber(value) ? grouped0.format(value) : '—';
}

export function usd(value) {
  return isNumber(value) ? '$' + value.toFixed(4) : '—';
}

/** '2026-03-10 12:00:00' in KST. */
export function kst(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const p = Object.fromEntries(kstParts.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export function utcTitle(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** '3 min', '2 h', '45 s' */
export function age(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

export const signClass = (value) => (isNumber(value) && value !== 0 ? (value > 0 ? 'up' : 'down') : '');
