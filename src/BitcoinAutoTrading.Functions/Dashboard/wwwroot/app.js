// The dashboard: asks for the function key, then refreshes every panel every 30 s without reloading the page.
import { ApiError, call, callStats, forgetKey, storeKey, storedKey } from './api.js';
import { applyLabels, lang, setLang, t } from './i18n.js';
import { age, btc, int, krw, krwSigned, kst, num, pct, pctSigned, signClass, usd, utcTitle } from './format.js';
import { el, fillKv, fillTable, timeEl } from './dom.js';
import { EquityChart, PriceChart, RESOLUTIONS, exitLevels } from './chart.js';
import { mapAiBudget, mapBacktestList, mapBacktestRun, mapCalibration } from './adapters.js';

const REFRESH_MS = 30_000;
// Backtests and calibration change rarely: they are read on the first refresh and every tenth after.
const SLOW_EVERY = 10;

const $ = (id) => document.getElementById(id);
const state = {
  timer: null, ticker: null, refreshes: 0, lastSuccess: 0, failures: 0, chart: null, equityChart: null,
  resolution: '1m', signals: [], orders: [], position: null, risk: null, settingsKey: null, settingsOriginal: {},
};

const time = (tag, iso) => timeEl(tag, kst(iso), utcTitle(iso));

function panelState(name, text) {
  const target = document.querySelector(`[data-panel="${name}"]`);
  if (target) target.textContent = text ?? '';
}

function describe(error) {
  if (error instanceof ApiError) {
    return error.status === 0 ? `${error.route}: network` : `${error.route}: ${error.status} ${error.problem?.title ?? ''}`.trim();
  }
  return String(error?.message ?? error);
}

// ---------- key gate ----------

function showGate(messageKey) {
  stopRefreshing();
  $('board').hidden = true;
  $('key-gate').hidden = false;
  $('key-error').textContent = messageKey ? t(messageKey) : '';
  $('key-input').focus();
}

async function start() {
  try {
    await call('risk/status');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      // A rejected key is not kept for the next visit.
      forgetKey();
      showGate('keyRejected');
    } else {
      showGate('keyUnreachable');
    }
    return;
  }
  $('key-gate').hidden = true;
  $('board').hidden = false;
  if (!state.chart) {
    const startedAt = performance.now();
    state.chart = new PriceChart($('chart'), {
      onFirstRender: () => {
        performance.mark('bat:chart-first-render');
        document.body.dataset.chartRenderedMs = String(Math.round(performance.now() - startedAt));
        document.body.dataset.chartRendered = 'true';
      },
    });
  }
  await refresh();
  state.timer = setInterval(refresh, REFRESH_MS);
  state.ticker = setInterval(showStatus, 5_000);
}

function stopRefreshing() {
  clearInterval(state.timer);
  clearInterval(state.ticker);
  state.timer = state.ticker = null;
}

// ---------- refresh ----------

async function refresh() {
  const callsBefore = callStats.total;
  const slow = state.refreshes % SLOW_EVERY === 0;
  const loaders = [loadChartData, loadPosition, loadEquity, loadRisk, loadSignals, loadOrders, loadHealth, loadAi];
  if (slow) loaders.push(loadBacktests, loadCalibration);
  const results = await Promise.allSettled(loaders.map((load) => load()));
  const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (rejected.some((e) => e instanceof ApiError && e.status === 401)) {
    forgetKey();
    showGate('keyRejected');
    return;
  }
  drawChartOverlays();
  state.failures = rejected.length;
  if (rejected.length === 0) state.lastSuccess = Date.now();
  state.refreshes++;
  document.body.dataset.refreshes = String(state.refreshes);
  document.body.dataset.lastRefreshCalls = String(callStats.total - callsBefore);
  showStatus();
}

function showStatus() {
  const status = $('status');
  const sinceSuccess = Date.now() - state.lastSuccess;
  if (state.lastSuccess && sinceSuccess > 2 * REFRESH_MS) {
    status.textContent = t('stale', { age: age(sinceSuccess) });
    status.className = 'status stale';
  } else if (state.failures > 0) {
    status.textContent = t('failed', { n: state.failures });
    status.className = 'status failed';
  } else {
    status.textContent = t('updated', { time: kst(new Date(state.lastSuccess || Date.now()).toISOString()).slice(11) + ' KST' });
    status.className = 'status';
  }
}

/** Runs one panel's calls; a failure is shown in the panel and rethrown so the refresh counts it. `work` may return a note. */
async function panel(name, work) {
  try {
    panelState(name, (await work()) ?? '');
  } catch (error) {
    panelState(name, t('callFailed', { what: describe(error) }));
    throw error;
  }
}

// ---------- panels ----------

function loadChartData() {
  return panel('chart', async () => {
    const r = RESOLUTIONS[state.resolution];
    const history = await call('market/history', { query: { hours: r.hours, limit: r.limit, resolution: state.resolution } });
    state.chart.resolution = state.resolution;
    const items = history?.items ?? [];
    const drawn = state.chart.setCandles(items);
    $('chart').dataset.candles = String(drawn);
    const newest = items[0]?.ts;
    if (!drawn) return t('noCandles');
    const behind = newest ? Date.now() - new Date(newest).getTime() : 0;
    return behind > 5 * 60_000 ? t('marketStale', { age: age(behind) }) : '';
  });
}

function drawChartOverlays() {
  if (!state.chart) return;
  const markers = state.chart.setMarkers(state.signals, state.orders);
  $('chart').dataset.markers = String(markers);
  const levels = exitLevels(state.position, state.risk?.settings);
  state.chart.setLevels(levels);
  $('chart').dataset.levels = Object.keys(levels).join(',');
}

function loadPosition() {
  return panel('position', async () => {
    const p = await call('position');
    state.position = p;
    const rows = [
      [t('quantity'), btc(p.quantity) + ' BTC', 'quantity'],
      [t('avgEntry'), krw(p.avgEntryPrice), 'avgEntryPrice'],
      [t('lastPrice'), krw(p.lastPrice), 'lastPrice', '', utcTitle(p.lastPriceAt)],
      [t('value'), krw(p.marketValueKrw), 'marketValueKrw'],
      [t('unrealized'), `${krwSigned(p.unrealizedPnlKrw)} (${pctSigned(p.unrealizedPnlPct)})`, 'unrealizedPnlKrw', signClass(p.unrealizedPnlKrw)],
      [t('realized'), krwSigned(p.realizedPnlKrw), 'realizedPnlKrw', signClass(p.realizedPnlKrw)],
    ];
    if (!p.isOpen) rows.unshift([t('position'), t('noPosition'), 'isOpen', 'muted']);
    fillKv($('position'), rows);
  });
}

function loadEquity() {
  return panel('equity', async () => {
    const [balance, daily] = await Promise.allSettled([call('balance'), call('stats/daily', { query: { days: 30 } })]);
    const todayKst = kst(new Date().toISOString()).slice(0, 10);
    const today = daily.status === 'fulfilled' ? daily.value.items?.find((d) => d.tradeDate === todayKst) : undefined;
    const b = balance.status === 'fulfilled' ? balance.value : null;
    if (b) {
      const badge = $('mode');
      badge.textContent = b.mode;
      badge.className = `badge ${String(b.mode).toLowerCase()}`;
    }
    fillKv($('equity'), [
      [t('equityNow'), b ? krw(b.equityKrw) : '—', 'equityKrw'],
      [t('krwBalance'), b ? krw(b.krw.total) : '—', 'krwTotal'],
      [t('coinValue'), b ? krw(b.coinValueKrw) : '—', 'coinValueKrw'],
      [t('startEquity'), krw(today?.startingEquityKrw), 'startingEquityKrw'],
      [t('todayPnl'), today ? `${krwSigned(today.realizedPnlKrw)} (${pctSigned(today.realizedPnlPct)})` : '—', 'todayRealizedPnlKrw',
        signClass(today?.realizedPnlKrw)],
      [t('todayHalt'), today?.isHalted ? `${t('halted')}: ${today.haltReason ?? ''}` : t('notHalted'), 'todayHalted', today?.isHalted ? 'down' : 'ok'],
    ]);
    if (daily.status === 'fulfilled') {
      fillTable($('daily'), [t('day'), t('startEquity'), t('pnl'), t('pnlPct'), t('trades'), t('todayHalt')],
        (daily.value.items ?? []).map((d) => el('tr', { 'data-day': d.tradeDate },
          el('td', {}, d.tradeDate), el('td', { class: 'num' }, krw(d.startingEquityKrw)),
          el('td', { class: `num ${signClass(d.realizedPnlKrw)}` }, krwSigned(d.realizedPnlKrw)),
          el('td', { class: 'num' }, pctSigned(d.realizedPnlPct)), el('td', { class: 'num' }, int(d.tradeCount)),
          el('td', { class: d.isHalted ? 'down' : '' }, d.isHalted ? t('halted') : '—'))));
    }
    const failed = [balance, daily].find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
}

function loadRisk() {
  return panel('risk', async () => {
    const [status, events] = await Promise.all([call('risk/status'), call('risk/events', { query: { limit: 10 } })]);
    state.risk = status;
    fillKv($('risk'), [
      [t('killSwitch'), el('span', { class: `pill ${status.tradingEnabled ? 'on' : 'off'}` }, status.tradingEnabled ? t('tradingOn') : t('tradingOff')),
        'tradingEnabled'],
      [t('entries'), status.entriesAllowed ? t('allowed') : t('blocked'), 'entriesAllowed', status.entriesAllowed ? 'ok' : 'down'],
      [t('dailyHalt'), status.dailyHalted ? `${t('halted')}: ${status.dailyHaltReason ?? ''}` : t('notHalted'), 'dailyHalted',
        status.dailyHalted ? 'down' : ''],
    ]);
    $('risk-card').dataset.tradingEnabled = String(status.tradingEnabled);
    $('halt').disabled = !status.tradingEnabled;
    $('resume').disabled = status.tradingEnabled;
    const s = status.settings;
    fillKv($('settings'), [
      ['min_confidence', num(s.minConfidence, 2), 'minConfidence'],
      ['stop_loss_pct', pct(s.stopLossPct), 'stopLossPct'],
      ['take_profit_pct', pct(s.takeProfitPct), 'takeProfitPct'],
      ['trailing_stop', `${pct(s.trailingStopActivationPct)} / ${pct(s.trailingStopDistancePct)}`, 'trailingStop'],
      ['position_size_pct', `${pct(s.positionSizeMinPct)}–${pct(s.positionSizeMaxPct)}`, 'positionSize'],
      ['max_exposure_pct', pct(s.maxExposurePct), 'maxExposurePct'],
      ['daily_loss_limit_pct', pct(s.dailyLossLimitPct), 'dailyLossLimitPct'],
      ['volatility_threshold_pct', pct(s.volatilityThresholdPct), 'volatilityThresholdPct'],
      ['trade_cooldown_minutes', `${s.tradeCooldownMinutes} min`, 'tradeCooldownMinutes'],
      ['signal thresholds', `${num(s.signalBuyThreshold, 2)} / ${num(s.signalSellThreshold, 2)}`, 'signalThresholds'],
      ['ai_model', s.aiModel, 'aiModel'],
    ]);
    fillTable($('risk-events'), [t('time'), t('events'), t('action'), t('trigger')],
      (events.items ?? []).map((e) => el('tr', { 'data-id': e.id },
        time('td', e.createdAt), el('td', {}, e.eventType), el('td', {}, e.actionTaken),
        el('td', { class: 'num' }, e.triggerValue == null ? '—' : `${num(e.triggerValue, 4)} / ${num(e.thresholdValue, 4)}`))));
  });
}

function outcome(evaluation) {
  if (!evaluation) return el('td', { class: 'muted' }, t('pending'));
  return el('td', { class: `num ${evaluation.correct ? 'up' : 'down'}`, title: utcTitle(evaluation.evaluatedAt) },
    `${evaluation.correct ? '✓' : '✗'} ${pctSigned(evaluation.changePct)}`);
}

function loadSignals() {
  return panel('signals', async () => {
    const list = await call('signals', { query: { limit: 20 } });
    state.signals = list.items ?? [];
    fillTable($('signals'), [t('time'), t('type'), t('score'), t('confidence'), t('provider'), t('outcome4h'), t('outcome24h'), t('reasoning')],
      state.signals.map((s) => el('tr', { 'data-id': s.id },
        time('td', s.createdAt),
        el('td', { class: s.signalType === 'BUY' ? 'up' : s.signalType === 'SELL' ? 'down' : '' }, s.signalType),
        el('td', { class: 'num' }, num(s.actionScore, 2)), el('td', { class: 'num' }, num(s.confidence, 2)),
        el('td', {}, s.provider + (s.modelName ? ` (${s.modelName})` : '') + (s.isFallback ? ' ⚠' : '')),
        outcome(s.evaluation4h), outcome(s.evaluation24h),
        el('td', { class: 'reasoning' }, el('details', {}, el('summary', {}, t('show')),
          el('pre', {}, JSON.stringify(s.reasoning, null, 2)))))));
  });
}

function loadOrders() {
  return panel('orders', async () => {
    const list = await call('orders', { query: { limit: 20 } });
    state.orders = list.items ?? [];
    fillTable($('orders'), [t('time'), t('side'), t('status'), t('requested'), t('filled'), t('avgPrice'), t('fee')],
      state.orders.map((o) => el('tr', { 'data-id': o.id },
        time('td', o.createdAt),
        el('td', { class: o.side === 'BUY' ? 'up' : 'down' }, `${o.side} · ${o.reason}`),
        el('td', {}, o.status + (o.error ? ` (${o.error})` : '')),
        el('td', { class: 'num' }, o.requestedKrw != null ? krw(o.requestedKrw) : `${btc(o.requestedVolume)} BTC`),
        el('td', { class: 'num' }, `${btc(o.executedVolume)} BTC`),
        el('td', { class: 'num' }, krw(o.avgPrice)), el('td', { class: 'num' }, krw(o.paidFee)))));
  });
}

function loadHealth() {
  return panel('health', async () => {
    const h = await call('health/detailed');
    const overall = $('health-overall');
    overall.replaceChildren(`${t('overall')}: `, el('span', { class: `pill ${h.status}`, 'data-field': 'overall' }, h.status));
    const components = [
      ['database', h.database, h.database.latencyMs != null ? `${h.database.latencyMs.toFixed(1)} ms` : ''],
      ['upbit', h.upbit, `${h.upbit.mode}${h.upbit.price != null ? ' · ' + krw(h.upbit.price) : ''}${h.upbit.blocked ? ' · blocked' : ''}`],
      ['ai', h.ai, `${h.ai.provider} · ${h.ai.model}`],
      ['scheduler', h.scheduler, `${h.scheduler.jobs?.length ?? 0} jobs`],
      ['lastSignal', h.lastSignal, h.lastSignal.ageMinutes != null ? `${h.lastSignal.signalType} · ${Math.round(h.lastSignal.ageMinutes)} min` : ''],
      ['lastOrder', h.lastOrder, h.lastOrder.orderStatus ? `${h.lastOrder.side} · ${h.lastOrder.orderStatus}` : ''],
    ];
    fillTable($('health'), [t('component'), t('state'), t('detail')],
      components.map(([name, c, summary]) => el('tr', { 'data-component': name },
        el('td', {}, name), el('td', {}, el('span', { class: `pill ${c.status}` }, c.status)),
        el('td', { class: 'reasoning' }, [summary, c.detail].filter(Boolean).join(' — ')))));
  });
}

function loadAi() {
  return panel('ai', async () => {
    const u = await call('ai/usage', { query: { days: 30 } });
    const budget = mapAiBudget(u);
    fillKv($('ai'), [
      [t('days30'), `${int(u.items?.reduce((n, d) => n + d.signals, 0) ?? 0)} ${t('signalsCount').toLowerCase()}`, 'signals'],
      [t('tokensIn'), int(u.totalInputTokens), 'totalInputTokens'],
      [t('tokensOut'), int(u.totalOutputTokens), 'totalOutputTokens'],
      [t('tokensThinking'), int(u.totalThinkingTokens), 'totalThinkingTokens'],
      [t('cost'), usd(u.totalEstimatedCostUsd), 'totalEstimatedCostUsd'],
      [t('budget'), budget ? `${usd(budget.spentUsd)} / ${usd(budget.capUsd)}` : t('noBudget'), 'budget',
        budget ? (budget.exceeded ? 'down' : 'ok') : 'muted'],
    ]);
    fillTable($('ai-days'), ['UTC', t('signalsCount'), t('tokensIn'), t('tokensOut'), t('cost')],
      (u.items ?? []).map((d) => el('tr', {}, el('td', {}, d.day), el('td', { class: 'num' }, int(d.signals)),
        el('td', { class: 'num' }, int(d.inputTokens)), el('td', { class: 'num' }, int(d.outputTokens + d.thinkingTokens)),
        el('td', { class: 'num' }, usd(d.estimatedCostUsd)))));
  });
}

/** An optional API (added by another issue): 404, or 400/405 from a route that shadows it, means "not here". */
const isAbsent = (error) => error instanceof ApiError && [400, 404, 405].includes(error.status);

function loadCalibration() {
  return panel('calibration', async () => {
    const target = $('calibration');
    try {
      const rows = mapCalibration(await call('signals/calibration', { query: { days: 30 } }));
      const table = el('table');
      fillTable(table, ['bucket', 'n', t('confidence'), 'accuracy'], rows.map((r) => el('tr', {},
        el('td', {}, r.label), el('td', { class: 'num' }, int(r.count)), el('td', { class: 'num' }, num(r.predicted, 2)),
        el('td', { class: 'num' }, typeof r.observed === 'number' ? num(r.observed, 2) : '—'))));
      target.replaceChildren(rows.length ? table : el('p', { class: 'muted' }, t('empty')));
    } catch (error) {
      if (!isAbsent(error)) throw error;
      target.replaceChildren(el('p', { class: 'muted', 'data-field': 'calibration' }, t('notAvailable')));
    }
  });
}

function loadBacktests() {
  return panel('backtests', async () => {
    const table = $('backtests');
    let runs;
    try {
      runs = mapBacktestList(await call('backtests'));
    } catch (error) {
      if (!isAbsent(error)) throw error;
      table.replaceChildren(el('caption', { class: 'muted', 'data-field': 'backtests' }, `${t('noBacktests')} ${t('notAvailable')}`));
      $('backtest-chart').hidden = true;
      return;
    }
    if (runs.length === 0) {
      table.replaceChildren(el('caption', { class: 'muted', 'data-field': 'backtests' }, t('noBacktests')));
      $('backtest-chart').hidden = true;
      return;
    }
    fillTable(table, ['#', t('created'), t('period'), t('totalReturn'), t('maxDrawdown'), t('sharpe')],
      runs.map((r) => el('tr', { 'data-id': r.id },
        el('td', {}, r.id), time('td', r.createdAt), el('td', {}, `${kst(r.from).slice(0, 10)} → ${kst(r.to).slice(0, 10)}`),
        el('td', { class: `num ${signClass(r.totalReturnPct)}` }, pctSigned(r.totalReturnPct)),
        el('td', { class: 'num' }, pct(r.maxDrawdownPct)), el('td', { class: 'num' }, num(r.sharpe, 2)))));
    let newest = runs[0];
    if (newest.equity.length === 0 && newest.id != null) {
      newest = mapBacktestRun(await call(`backtests/${encodeURIComponent(newest.id)}`));
    }
    if (newest.equity.length > 0) {
      const container = $('backtest-chart');
      container.hidden = false;
      state.equityChart ??= new EquityChart(container);
      state.equityChart.setPoints(newest.equity);
    }
  });
}

// ---------- admin actions ----------

/**
 * Asks for the admin key (and a reason) in a dialog, then runs `action(key, reason)`. A rejected key or a 400 keeps
 * the dialog open with the message; the key is never stored.
 */
function askAdmin({ title, reason }, action) {
  const dialog = $('admin-dialog');
  $('admin-title').textContent = title;
  $('admin-reason-row').hidden = !reason;
  $('admin-reason').value = '';
  $('admin-key').value = '';
  $('admin-error').textContent = '';
  return new Promise((resolve) => {
    const form = $('admin-form');
    const finish = (value) => {
      form.removeEventListener('submit', onSubmit);
      $('admin-cancel').removeEventListener('click', onCancel);
      dialog.close();
      resolve(value);
    };
    const onCancel = () => finish(null);
    const onSubmit = async (event) => {
      event.preventDefault();
      const key = $('admin-key').value.trim();
      const text = $('admin-reason').value.trim();
      if (reason === 'required' && !text) {
        $('admin-error').textContent = t('reasonRequired');
        return;
      }
      $('admin-ok').disabled = true;
      try {
        finish(await action(key, text));
      } catch (error) {
        $('admin-error').textContent = error instanceof ApiError && error.status === 401
          ? t('adminRejected')
          : Object.values(error.fieldErrors ?? {}).flat().join(' ') || describe(error);
      } finally {
        $('admin-ok').disabled = false;
      }
    };
    form.addEventListener('submit', onSubmit);
    $('admin-cancel').addEventListener('click', onCancel);
    dialog.showModal();
    (reason ? $('admin-reason') : $('admin-key')).focus();
  });
}

async function haltOrResume(halt) {
  const done = await askAdmin(
    { title: t(halt ? 'haltTitle' : 'resumeTitle'), reason: halt ? 'required' : 'optional' },
    (key, reason) => call(halt ? 'trading/halt' : 'trading/resume', { method: 'POST', key, body: reason ? { reason } : {} }));
  if (done) {
    $('risk-message').textContent = t(halt ? 'halted_done' : 'resumed_done');
    await refresh();
  }
}

async function openSettings() {
  let key;
  const config = await askAdmin({ title: t('settingsTitle'), reason: null }, async (k) => {
    const result = await call('config', { key: k });
    key = k;
    return result;
  });
  if (!config) return;
  state.settingsKey = key;
  state.settingsOriginal = {};
  const fields = config.settings.map((s) => {
    state.settingsOriginal[s.key] = s.value;
    const input = s.type === 'boolean'
      ? el('input', { type: 'checkbox', name: s.key, id: `setting-${s.key}`, checked: s.value === true })
      : el('input', { type: 'text', name: s.key, id: `setting-${s.key}`, value: String(s.value), inputmode: s.type === 'text' ? undefined : 'decimal' });
    const range = s.min != null ? ` [${s.min} – ${s.max}]` : '';
    return el('div', { class: 'field', 'data-key': s.key },
      el('label', { for: `setting-${s.key}` }, s.key), input,
      el('small', {}, s.description + range),
      el('span', { class: 'field-error', 'data-error-for': s.key, role: 'alert' }));
  });
  $('settings-fields').replaceChildren(...fields);
  $('settings-error').textContent = '';
  $('settings-form').hidden = false;
}

function readSetting(input, original) {
  if (input.type === 'checkbox') return input.checked;
  const text = input.value.trim();
  // Numbers go as JSON numbers when they parse; anything else goes as typed, and the API names the field.
  if (typeof original === 'number') return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  return text;
}

async function saveSettings(event) {
  event.preventDefault();
  for (const span of document.querySelectorAll('[data-error-for]')) span.textContent = '';
  const changes = {};
  for (const input of $('settings-fields').querySelectorAll('input')) {
    const original = state.settingsOriginal[input.name];
    const value = readSetting(input, original);
    if (JSON.stringify(value) !== JSON.stringify(original)) changes[input.name] = value;
  }
  if (Object.keys(changes).length === 0) {
    $('settings-error').textContent = t('noChanges');
    return;
  }
  try {
    await call('config', { method: 'PATCH', key: state.settingsKey, body: changes });
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      $('settings-error').textContent = t('fixFields');
      for (const [field, messages] of Object.entries(error.fieldErrors)) {
        const target = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ?? $('settings-error');
        target.textContent = messages.join(' ');
      }
    } else {
      $('settings-error').textContent = error instanceof ApiError && error.status === 401 ? t('adminRejected') : describe(error);
    }
    return;
  }
  closeSettings();
  $('risk-message').textContent = t('saved');
  await refresh();
}

function closeSettings() {
  state.settingsKey = null;
  $('settings-form').hidden = true;
  $('settings-fields').replaceChildren();
}

// ---------- wiring ----------

function showLanguage() {
  applyLabels();
  // ASCII on the button (renders without a Korean font); the full name on hover and for screen readers.
  const button = $('lang');
  button.textContent = lang() === 'ko' ? 'EN' : 'KO';
  button.title = lang() === 'ko' ? 'English' : '한국어';
  button.setAttribute('aria-label', button.title);
}

function wire() {
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) {
      $('key-error').textContent = t('keyMissing');
      return;
    }
    storeKey(key, $('key-remember').checked);
    $('key-input').value = '';
    start();
  });
  $('forget-key').addEventListener('click', () => {
    forgetKey();
    showGate('keyMissing');
  });
  $('refresh').addEventListener('click', () => refresh());
  $('lang').addEventListener('click', () => {
    setLang(lang() === 'ko' ? 'en' : 'ko');
    showLanguage();
    if (!$('board').hidden) refresh();
  });
  for (const button of $('resolution').querySelectorAll('button')) {
    button.addEventListener('click', async () => {
      state.resolution = button.dataset.res;
      for (const other of $('resolution').querySelectorAll('button')) other.classList.toggle('on', other === button);
      await loadChartData().catch(() => {});
      drawChartOverlays();
    });
  }
  $('halt').addEventListener('click', () => haltOrResume(true));
  $('resume').addEventListener('click', () => haltOrResume(false));
  $('edit-settings').addEventListener('click', () => openSettings());
  $('settings-form').addEventListener('submit', saveSettings);
  $('settings-cancel').addEventListener('click', closeSettings);
}

wire();
showLanguage();
if (storedKey()) start(); else showGate('keyMissing');
