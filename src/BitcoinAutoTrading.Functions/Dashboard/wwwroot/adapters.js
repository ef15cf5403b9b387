// Mappings of the APIs that other branches added (backtests, calibration, AI budget) to what the panels show. Each is
// one small function over the shapes in Api/BacktestResponses.cs, Api/SignalCalibrationResponses.cs and
// Api/AiUsageResponses.cs; every field is read defensively.

const pick = (object, ...names) => {
  for (const name of names) {
    const value = name.split('.').reduce((o, part) => (o == null ? undefined : o[part]), object);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
};

/**
 * One backtest run from GET /api/backtests (a list item: the summary's fields at the top) or GET /api/backtests/{id}
 * ({ summary, settings, options, report }, where report is what `bat backtest` wrote: { report, equityCurve: [{ at, equity }] }).
 */
export function mapBacktestRun(raw) {
  const equity = pick(raw, 'report.equityCurve', 'equityCurve', 'equity', 'equitySeries', 'metrics.equity') ?? [];
  return {
    id: pick(raw, 'summary.id', 'id', 'runId'),
    createdAt: pick(raw, 'summary.createdAt', 'createdAt', 'created_at'),
    from: pick(raw, 'summary.from', 'from', 'fromTs', 'start', 'period.from'),
    to: pick(raw, 'summary.to', 'to', 'toTs', 'end', 'period.to'),
    totalReturnPct: pick(raw, 'summary.totalReturnPct', 'totalReturnPct', 'metrics.totalReturnPct', 'report.report.totalReturnPct'),
    maxDrawdownPct: pick(raw, 'summary.maxDrawdownPct', 'maxDrawdownPct', 'metrics.maxDrawdownPct', 'report.report.maxDrawdownPct'),
    sharpe: pick(raw, 'summary.sharpe', 'sharpe', 'metrics.sharpe', 'report.report.sharpe'),
    equity: Array.isArray(equity)
      ? equity.map((p) => ({ time: pick(p, 'at', 'ts', 'time', 't'), value: pick(p, 'equity', 'equityKrw', 'value', 'v') }))
        .filter((p) => p.time && typeof p.value === 'number')
      : [],
  };
}

/** The runs of GET /api/backtests ({ limit, items }), newest first; a bare array is accepted too. */
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

const HORIZONS = [['fourHours', '4h'], ['twentyFourHours', '24h']];

/**
 * Rows of GET /api/signals/calibration ({ days, since, sources: [{ role, provider, model, signals, fourHours,
 * twentyFourHours }], shadowComparison }): one row per source and horizon, its mean confidence against its hit rate.
 * Sources with nothing evaluated at a horizon are left out. A bare array of buckets is accepted too.
 */
export function mapCalibration(raw) {
  const sources = pick(raw, 'sources');
  if (Array.isArray(sources)) {
    return sources.flatMap((source) => HORIZONS
      .map(([field, horizon]) => [source?.[field], horizon])
      .filter(([h]) => h && h.evaluated > 0)
      .map(([h, horizon]) => ({
        label: `${[source.role, source.provider, source.model].filter(Boolean).join(' · ')} · ${horizon}`,
        count: h.evaluated,
        predicted: h.meanConfidence,
        observed: h.hitRate,
      })));
  }
  const rows = Array.isArray(raw) ? raw : (pick(raw, 'buckets', 'items', 'bins') ?? []);
  return rows.map((b) => ({
    label: pick(b, 'label', 'bucket', 'range') ?? `${pick(b, 'min', 'from') ?? ''}–${pick(b, 'max', 'to') ?? ''}`,
    count: pick(b, 'count', 'evaluated', 'n'),
    predicted: pick(b, 'meanConfidence', 'predicted', 'avgConfidence'),
    observed: pick(b, 'accuracy', 'accuracyPct', 'observed', 'hitRate'),
  }));
}
