// Mappings of the APIs that other branches add (backtests, calibration, AI budget). Each is one small function, so
// the shape can be adjusted in one place once those APIs are merged; every field is read defensively.

const pick = (object, ...names) => {
  for (const name of names) {
    const value = name.split('.').reduce((o, part) => (o == null ? undefined : o[part]), object);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
};

/** One backtest run from GET /api/backtests (a list item) or GET /api/backtests/{id}. */
export function mapBacktestRun(raw) {
  const equity = pick(raw, 'equity', 'equityCurve', 'equitySeries', 'metrics.equity') ?? [];
  return {
    id: pick(raw, 'id', 'runId'),
    createdAt: pick(raw, 'createdAt', 'created_at'),
    from: pick(raw, 'from', 'fromTs', 'start', 'period.from'),
    to: pick(raw, 'to', 'toTs', 'end', 'period.to'),
    totalReturnPct: pick(raw, 'metrics.totalReturnPct', 'totalReturnPct', 'metrics.total_return_pct', 'metrics.totalReturn'),
    maxDrawdownPct: pick(raw, 'metrics.maxDrawdownPct', 'maxDrawdownPct', 'metrics.max_drawdown_pct', 'metrics.maxDrawdown'),
    sharpe: pick(raw, 'metrics.sharpe', 'sharpe', 'metrics.sharpeRatio'),
    equity: Array.isArray(equity)
      ? equity.map((p) => ({ time: pick(p, 'ts', 'time', 't'), value: pick(p, 'equityKrw', 'equity', 'value', 'v') }))
        .filter((p) => p.time && typeof p.value === 'number')
      : [],
  };
}

/** The runs of GET /api/backtests, newest first: a bare array or a page with items/runs. */
export function mapBacktestList(raw) {
  const items = Array.isArray(raw) ? raw : (pick(raw, 'items', 'runs') ?? []);
  return items.map(mapBacktestRun);
}

/** Today's AI spend against the ai_daily_budget_usd cap, when the usage API reports one; null otherwise. */
export function mapAiBudget(usage) {
  const cap = pick(usage, 'dailyBudgetUsd', 'aiDailyBudgetUsd', 'budget.dailyBudgetUsd', 'budget.capUsd');
  if (typeof cap !== 'number') return null;
  const today = new Date().toISOString().slice(0, 10);
  const spent = pick(usage, 'todayCostUsd', 'spentTodayUsd', 'budget.spentTodayUsd', 'budget.todayUsd')
    ?? usage?.items?.find((d) => d.day === today)?.estimatedCostUsd ?? 0;
  return { capUsd: cap, spentUsd: spent, exceeded: spent >= cap };
}

/** Rows of GET /api/signals/calibration: buckets of confidence with their observed accuracy. */
export function mapCalibration(raw) {
  const rows = Array.isArray(raw) ? raw : (pick(raw, 'buckets', 'items', 'bins') ?? []);
  return rows.map((b) => ({
    label: pick(b, 'label', 'bucket', 'range') ?? `${pick(b, 'min', 'from') ?? ''}–${pick(b, 'max', 'to') ?? ''}`,
    count: pick(b, 'count', 'evaluated', 'n'),
    predicted: pick(b, 'meanConfidence', 'predicted', 'avgConfidence'),
    observed: pick(b, 'accuracy', 'accuracyPct', 'observed', 'hitRate'),
  }));
}
