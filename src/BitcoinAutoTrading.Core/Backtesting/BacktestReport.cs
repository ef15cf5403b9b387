using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>One calendar month (UTC) of a run.</summary>
public sealed record MonthlyResult(string Month, decimal StartEquityKrw, decimal EndEquityKrw, decimal ReturnPct, decimal BuyAndHoldPct, int Trades, decimal FeesKrw);

/// <summary>How the data's holes were handled: listed, never filled.</summary>
public sealed record GapSummary(int Count, int MissingMinutes, int LongestMinutes, IReadOnlyList<DataGap> Largest);

/// <summary>The metrics of issue 13's report. Percentages are percent; ratios are plain numbers.</summary>
public sealed record BacktestReport
{
    public required string Market { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required int Minutes { get; init; }
    public required decimal InitialEquityKrw { get; init; }
    public required decimal FinalEquityKrw { get; init; }
    public required decimal TotalReturnPct { get; init; }
    public required decimal BuyAndHoldReturnPct { get; init; }
    /// <summary>Null when the annualised figure is beyond decimal's range (a strong move over hours or days).</summary>
    public required decimal? CagrPct { get; init; }
    public required decimal MaxDrawdownPct { get; init; }
    public required double MaxDrawdownDays { get; init; }
    public required decimal Sharpe { get; init; }
    /// <summary>Null when the run gained without a single losing day: no downside to divide by, an unbounded ratio.</summary>
    public required decimal? Sortino { get; init; }
    /// <summary>Null when nothing closed: no trade has no win rate, not a 0 % one.</summary>
    public required decimal? WinRatePct { get; init; }
    public required decimal? ProfitFactor { get; init; }
    public required decimal AverageWinKrw { get; init; }
    public required decimal AverageLossKrw { get; init; }
    public required int TradeCount { get; init; }
    public required int OrderCount { get; init; }
    public required decimal ExposurePct { get; init; }
    public required decimal FeesPaidKrw { get; init; }
    public required IReadOnlyDictionary<string, int> SignalsByType { get; init; }
    public required IReadOnlyDictionary<string, int> SignalNotes { get; init; }
    public required IReadOnlyDictionary<string, int> RiskEventsByType { get; init; }

    /// <summary>Entry refusals by rule, e.g. <c>LOW_CONFIDENCE hit rate</c> apart from <c>LOW_CONFIDENCE confidence</c>.</summary>
    public IReadOnlyDictionary<string, int> RefusalsByRule { get; init; } = new Dictionary<string, int>();
    public required IReadOnlyList<MonthlyResult> Months { get; init; }
    public required GapSummary Gaps { get; init; }

    public static BacktestReport Of(BacktestRun run, IReadOnlyList<DataGap> gaps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(gaps);
        var initial = run.Options.InitialKrw;
        var final = run.FinalEquityKrw;
        var years = Math.Max((run.EquityTicks[^1] - run.EquityTicks[0]) / (double)TimeSpan.TicksPerDay, 1d / 1440) / 365.25;
        var closes = run.Orders.Where(o => o.Side == OrderSide.Sell).ToList();
        var wins = closes.Where(o => o.RealizedPnlKrw > 0).ToList();
        var losses = closes.Where(o => o.RealizedPnlKrw < 0).ToList();
        var grossLoss = -losses.Sum(o => o.RealizedPnlKrw);
        var (maxDd, ddDays) = Drawdown(run.Equity, run.EquityTicks);
        var daily = DailyReturns(run.Equity, run.EquityTicks, (double)initial);
        return new BacktestReport
        {
            Market = run.Market,
            From = run.From,
            To = run.To,
            Minutes = run.Equity.Length,
            InitialEquityKrw = initial,
            FinalEquityKrw = Math.Round(final, 2),
            TotalReturnPct = Pct(final / initial - 1m),
            BuyAndHoldReturnPct = Pct(run.LastClose / run.FirstOpen - 1m),
            CagrPct = Cagr((double)(final / initial), years),
            MaxDrawdownPct = Pct((decimal)maxDd),
            MaxDrawdownDays = Math.Round(ddDays, 2),
            Sharpe = Ratio(daily, downsideOnly: false),
            Sortino = daily.Count >= 2 && daily.Average() > 0 && daily.All(r => r >= 0) ? null : Ratio(daily, downsideOnly: true),
            WinRatePct = closes.Count == 0 ? null : Math.Round(100m * wins.Count / closes.Count, 2),
            ProfitFactor = grossLoss == 0 ? null : Math.Round(wins.Sum(o => o.RealizedPnlKrw) / grossLoss, 4),
            AverageWinKrw = wins.Count == 0 ? 0 : Math.Round(wins.Average(o => o.RealizedPnlKrw), 0),
            AverageLossKrw = losses.Count == 0 ? 0 : Math.Round(losses.Average(o => o.RealizedPnlKrw), 0),
            TradeCount = closes.Count,
            OrderCount = run.Orders.Count,
            ExposurePct = Math.Round(100m * run.ExposedMinutes / run.Equity.Length, 2),
            FeesPaidKrw = Math.Round(run.Orders.Sum(o => o.FeeKrw), 2),
            SignalsByType = Count(run.Signals.Select(s => s.Action.ToString().ToUpperInvariant())),
            SignalNotes = Count(run.Signals.Select(s => s.Note)),
            RiskEventsByType = Count(run.RiskEvents.Select(e => e.Type.ToWire())),
            RefusalsByRule = Count(run.RiskEvents.Where(e => e.Reason is not null).Select(e => $"{e.Type.ToWire()} {e.Reason}")),
            Months = Monthly(run),
            Gaps = new GapSummary(
                gaps.Count, gaps.Sum(g => g.MissingMinutes), gaps.Count == 0 ? 0 : gaps.Max(g => g.MissingMinutes),
                gaps.OrderByDescending(g => g.MissingMinutes).Take(10).ToList()),
        };
    }

    private static decimal Pct(decimal ratio) => Math.Round(ratio * 100m, 4);

    /// <summary>
    /// The growth ratio compounded to a year. Over a short run the power leaves decimal's range (1 % in an hour is
    /// e^87 a year): that figure means nothing, and it is reported as absent rather than failing the whole report.
    /// </summary>
    private static decimal? Cagr(double growth, double years)
    {
        var annual = (Math.Pow(growth, 1 / years) - 1) * 100;
        return double.IsFinite(annual) && Math.Abs(annual) < 1e20 ? Math.Round((decimal)annual, 4) : null;
    }

    private static SortedDictionary<string, int> Count(IEnumerable<string> keys)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    /// <summary>The deepest fall from a running peak, and the longest time spent below a peak (until recovered or the end).</summary>
    private static (double Depth, double LongestDays) Drawdown(double[] equity, long[] ticks)
    {
        double peak = equity[0], depth = 0;
        var peakAt = ticks[0];
        long longest = 0;
        for (var i = 0; i < equity.Length; i++)
        {
            if (equity[i] >= peak)
            {
                peak = equity[i];
                peakAt = ticks[i];
            }
            else
            {
                depth = Math.Max(depth, (peak - equity[i]) / peak);
                longest = Math.Max(longest, ticks[i] - peakAt);
            }
        }
        return (depth, longest / (double)TimeSpan.TicksPerDay);
    }

    /// <summary>Returns from one KST day's closing equity to the next (the first day from the initial equity).</summary>
    private static List<double> DailyReturns(double[] equity, long[] ticks, double initial)
    {
        var returns = new List<double>();
        var previous = initial;
        for (var i = 0; i < equity.Length; i++)
        {
            var lastOfDay = i == equity.Length - 1
                || KstClock.TradingDay(new DateTimeOffset(ticks[i], TimeSpan.Zero)) != KstClock.TradingDay(new DateTimeOffset(ticks[i + 1], TimeSpan.Zero));
            if (lastOfDay)
            {
                returns.Add(equity[i] / previous - 1);
                previous = equity[i];
            }
        }
        return returns;
    }

    /// <summary>Annualised (√365: crypto trades every day) mean daily return over its deviation; Sortino counts only the downside.</summary>
    private static decimal Ratio(List<double> daily, bool downsideOnly)
    {
        if (daily.Count < 2)
        {
            return 0;
        }
        var mean = daily.Average();
        var deviation = downsideOnly
            ? Math.Sqrt(daily.Sum(r => r < 0 ? r * r : 0) / daily.Count)
            : Math.Sqrt(daily.Sum(r => (r - mean) * (r - mean)) / (daily.Count - 1));
        return deviation == 0 || !double.IsFinite(deviation) ? 0 : Math.Round((decimal)(mean / deviation * Math.Sqrt(365)), 4);
    }

    private static List<MonthlyResult> Monthly(BacktestRun run)
    {
        var months = new List<MonthlyResult>();
        var startEquity = (double)run.Options.InitialKrw;
        var startPrice = (double)run.FirstOpen;
        var monthStart = 0;
        for (var i = 0; i < run.Equity.Length; i++)
        {
            var month = MonthOf(run.EquityTicks[i]);
            if (i == run.Equity.Length - 1 || MonthOf(run.EquityTicks[i + 1]) != month)
            {
                var from = new DateTimeOffset(run.EquityTicks[monthStart], TimeSpan.Zero);
                var to = new DateTimeOffset(run.EquityTicks[i], TimeSpan.Zero).AddMinutes(1);
                var orders = run.Orders.Where(o => o.At >= from && o.At < to).ToList();
                months.Add(new MonthlyResult(
                    month,
                    Math.Round((decimal)startEquity, 0),
                    Math.Round((decimal)run.Equity[i], 0),
                    Math.Round((decimal)(run.Equity[i] / startEquity - 1) * 100m, 2),
                    Math.Round((decimal)(run.Price[i] / startPrice - 1) * 100m, 2),
                    orders.Count(o => o.Side == OrderSide.Sell),
                    Math.Round(orders.Sum(o => o.FeeKrw), 0)));
                startEquity = run.Equity[i];
                startPrice = run.Price[i];
                monthStart = i + 1;
            }
        }
        return months;
    }

    private static string MonthOf(long ticks) => new DateTimeOffset(ticks, TimeSpan.Zero).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
