using System.Globalization;
using System.Text.Json;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>Which signals a backtest trades on.</summary>
public enum BacktestProvider
{
    /// <summary>The deterministic technical provider, recomputed from the minutes.</summary>
    Technical,

    /// <summary>The signals stored in <c>trading_signals</c> (e.g. a Gemini run), as they were decided.</summary>
    Recorded,
}

/// <summary>A backtest the operator asked for.</summary>
public sealed record BacktestRequest
{
    public required string Market { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public BacktestProvider Provider { get; init; } = BacktestProvider.Technical;
    public IReadOnlyDictionary<string, JsonElement> Overrides { get; init; } = new Dictionary<string, JsonElement>();
    public BacktestOptions Options { get; init; } = new();
    public TimeSpan SignalEvery { get; init; } = TimeSpan.FromMinutes(30);
    public bool IncludeShadowSignals { get; init; }
}

/// <summary>A request that cannot run, with a message naming what is wrong (a flag, a setting, the data).</summary>
public sealed class BacktestInputException(string message) : Exception(message);

/// <summary>The loaded market and signals of a request, reusable across settings (a sweep replays them many times).</summary>
public sealed record PreparedBacktest(
    BacktestRequest Request, MinuteSeries Series, IReadOnlyList<ReplayedSignal> Signals, DateTimeOffset TradeFrom,
    IReadOnlyList<DataGap> Gaps, TimeSpan LoadTime, TimeSpan AnalysisTime);

/// <summary>Loads, checks and runs backtests: the edge cases of issue 13 are refused here with clear messages.</summary>
public sealed class BacktestRunner(IBacktestData data)
{
    /// <summary>Parses a <c>--set key=value</c> value the way PATCH /api/config reads JSON: true/false, a number, else a string.</summary>
    public static JsonElement ParseSettingValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed is "true" or "false")
        {
            return JsonSerializer.SerializeToElement(trimmed == "true");
        }
        // The number decimal read, not the typed text: ".7", "+5", "5." and "05" are numbers to the operator but not JSON.
        return decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonSerializer.SerializeToElement(number)
            : JsonSerializer.SerializeToElement(trimmed);
    }

    /// <summary>The settings a run uses: <paramref name="stored"/> (system_config) with the overrides, checked as PATCH /api/config checks them.</summary>
    public static RiskSettings ApplyOverrides(RiskSettings stored, IReadOnlyDictionary<string, JsonElement> overrides)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(overrides);
        var errors = RiskSettingsValidator.Validate(overrides, stored);
        if (errors.Count > 0)
        {
            throw new BacktestInputException("Invalid --set: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Error}")));
        }
        return RiskSettingsJson.Apply(stored, overrides);
    }

    public async Task<PreparedBacktest> PrepareAsync(BacktestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.To <= request.From)
        {
            throw new BacktestInputException($"--to ({request.To:o}) must be after --from ({request.From:o}).");
        }
        var loadWatch = System.Diagnostics.Stopwatch.StartNew();
        var technical = request.Provider == BacktestProvider.Technical;
        // Before --from: the signals the hit-rate gate counts on the range's first day, and (technical) the 14-day window
        // of the first of them; whole hours, so the hourly bars before the minutes join them without overlap.
        var loadFrom = UtcTime.FloorToHour(request.From - HitRateLookback - (technical ? TechnicalSignalReplay.WarmUp : TimeSpan.Zero));
        var minutes = await data.GetMinutesAsync(request.Market, loadFrom, request.To, cancellationToken).ConfigureAwait(false);
        var series = new MinuteSeries(request.Market, minutes);
        var inRange = series.Count - series.IndexAtOrAfter(request.From);
        if (inRange == 0)
        {
            throw new BacktestInputException(
                $"No stored {request.Market} minutes between {request.From:o} and {request.To:o}: import them first (bat import --from ... --to ...).");
        }

        var tradeFrom = request.From;
        if (technical)
        {
            // The decision needs the 14-day long window behind it: taken from before --from when stored, else from the range.
            var warmedUp = series.At(0) + TechnicalSignalReplay.WarmUp;
            if (warmedUp > tradeFrom)
            {
                tradeFrom = warmedUp;
            }
            if (tradeFrom < request.To && series.IndexAtOrAfter(tradeFrom) >= series.Count)
            {
                // --to is later, but every stored minute is warm-up: there is no minute left to trade on.
                throw new BacktestInputException(string.Create(CultureInfo.InvariantCulture,
                    $"The stored minutes end within the {TechnicalSignalReplay.WarmUp.TotalDays:0}-day warm-up: the first is {series.At(0):o} and the last {series.At(series.Count - 1):o}, so trading could start at {tradeFrom:o} with no stored minute after it. Import minutes after {tradeFrom:o} or import 14 days before --from."));
            }
            if (tradeFrom >= request.To)
            {
                throw new BacktestInputException(string.Create(CultureInfo.InvariantCulture,
                    $"The range leaves nothing after the {TechnicalSignalReplay.WarmUp.TotalDays:0}-day warm-up: the first stored minute is {series.At(0):o}, so trading could start at {tradeFrom:o}, at or after --to {request.To:o}. Import 14 days before --from or widen the range."));
            }
        }
        var loadTime = loadWatch.Elapsed;

        var analysisWatch = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<ReplayedSignal> signals;
        if (technical)
        {
            // The 1h–1w candles reach back as Upbit's 200 do, from the hourly bars before the first loaded minute.
            var history = await data.GetHourlyBarsAsync(request.Market, series.At(0) - TechnicalSignalReplay.CandleHistory, series.At(0), cancellationToken)
                .ConfigureAwait(false);
            var judgedFrom = Max(request.From - HitRateLookback, series.At(0) + TechnicalSignalReplay.WarmUp);
            signals = await TechnicalSignalReplay.BuildAsync(
                    series, Min(judgedFrom, tradeFrom), request.To, request.SignalEvery, hourlyHistory: history, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            var stored = await data.GetSignalsAsync(request.Market, request.From - HitRateLookback, request.To, request.IncludeShadowSignals, cancellationToken)
                .ConfigureAwait(false);
            signals = Recorded(series, stored);
        }
        var start = series.IndexAtOrAfter(tradeFrom);
        return new PreparedBacktest(request, series, signals, tradeFrom, series.Gaps(start, series.Count), loadTime, analysisWatch.Elapsed);
    }

    /// <summary>
    /// How far before --from the signals are replayed without trading, so the hit-rate gate starts the range with the
    /// count live trading had: 20 judged signals (the default sample) at one per 30 minutes take 10 h, plus up to 8 h
    /// until EvaluateSignals judges them. A larger sample fills up during the range.
    /// </summary>
    public static readonly TimeSpan HitRateLookback = TimeSpan.FromDays(1);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public static BacktestRun Run(PreparedBacktest prepared, RiskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return BacktestEngine.Run(prepared.Series, prepared.Signals, settings, prepared.Request.Options, prepared.TradeFrom, prepared.Request.To);
    }

    /// <summary>
    /// A stored signal acted at its creation: it saw the minutes closed by then and its order filled at the first minute
    /// open after it (a signal stored at 12:30:40 fills at 12:31's open, never at a price from before it existed; one
    /// stored exactly at 12:30:00 fills at 12:30's). A signal in a gap (no minute at its time) fills at the next stored minute.
    /// </summary>
    private static List<ReplayedSignal> Recorded(MinuteSeries series, IReadOnlyList<StoredSignal> stored)
    {
        var signals = new List<ReplayedSignal>(stored.Count);
        // With --shadow the shadow model is what is judged: each run that had a shadow replays it in place of its
        // primary, never both (live trades one decision per run).
        var shadowed = stored.Where(s => s.ShadowOfId is not null).Select(s => s.ShadowOfId!.Value).ToHashSet();
        foreach (var s in stored.Where(s => !shadowed.Contains(s.Id)))
        {
            var ticks = s.CreatedAt.UtcTicks;
            var minute = new DateTimeOffset(ticks + ((MinuteSeries.TicksPerMinute - (ticks % MinuteSeries.TicksPerMinute)) % MinuteSeries.TicksPerMinute), TimeSpan.Zero);
            var index = series.IndexAtOrAfter(minute);
            if (index >= series.Count)
            {
                continue;
            }
            var action = s.Type switch
            {
                SignalType.Buy => SignalAction.Buy,
                SignalType.Sell => SignalAction.Sell,
                _ => SignalAction.Hold,
            };
            signals.Add(new ReplayedSignal(minute, index)
            {
                Recorded = ReplayedSignal.FromStored(action, s.ActionScore, s.Confidence),
                SignalId = s.Id,
                IsFallback = s.IsFallback,
                CreatedAt = s.CreatedAt,
            });
        }
        return signals;
    }
}
