using System.CommandLine;
using System.Text.Json;
using BitcoinAutoTrading.Core.Backtesting;
using Microsoft.Extensions.Configuration;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary>The flags of a backtest run (shared by backtest and sweep) and how they become a request.</summary>
internal sealed class BacktestOptionsBinder
{
    public Option<string> Provider { get; } = new("--provider")
    {
        Description = "technical (recompute signals from the minutes) or recorded (replay trading_signals).",
        DefaultValueFactory = _ => "technical",
    };

    public Option<decimal?> SlippageBps { get; } = new("--slippage-bps") { Description = "Slippage in basis points against each fill (default 5)." };

    public Option<string> FillAt { get; } = new("--fill-at")
    {
        Description = "open (the next minute's open, default) or ticker (the last close at the decision, as the paper exchange fills).",
        DefaultValueFactory = _ => "open",
    };

    public Option<decimal?> InitialKrw { get; } = new("--initial-krw") { Description = "Starting KRW (default Paper__InitialKrw, else 1000000)." };

    public Option<int?> ExitEvery { get; } = new("--exit-every") { Description = "Minutes between protective-exit checks (default: MarketDataSchedule's interval, else 1, as CollectMarketData)." };

    public Option<bool> Shadow { get; } = new("--shadow") { Description = "With --provider recorded: replay each run's shadow signal in place of its primary (the shadow model's backtest)." };

    public void AddTo(Command command)
    {
        command.Add(Provider);
        command.Add(SlippageBps);
        command.Add(FillAt);
        command.Add(InitialKrw);
        command.Add(ExitEvery);
        command.Add(Shadow);
    }

    public BacktestRequest Request(
        ParseResult parse, IConfiguration configuration, string market, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyDictionary<string, JsonElement> overrides)
    {
        var provider = parse.GetValue(Provider) switch
        {
            "technical" => BacktestProvider.Technical,
            "recorded" => BacktestProvider.Recorded,
            var other => throw new CliException($"--provider: '{other}' is not one of technical, recorded.", 2),
        };
        var slippage = parse.GetValue(SlippageBps) ?? 5m;
        if (slippage is < 0 or > 1000)
        {
            throw new CliException("--slippage-bps must be between 0 and 1000.", 2);
        }
        var fillAt = parse.GetValue(FillAt) switch
        {
            "open" => BacktestFill.NextOpen,
            "ticker" => BacktestFill.Ticker,
            var other => throw new CliException($"--fill-at: '{other}' is not one of open, ticker.", 2),
        };
        var initial = parse.GetValue(InitialKrw) ?? configuration.GetValue<decimal?>("Paper:InitialKrw") ?? 1_000_000m;
        if (initial < 5_000m)
        {
            throw new CliException("--initial-krw must be at least 5000 (Upbit's minimum order).", 2);
        }
        // The app's own timer settings, so the replay runs its jobs as often as the deployed app (defaults: production's).
        var exitEvery = parse.GetValue(ExitEvery) ?? (int?)ScheduleSettings.Interval(configuration, "MarketDataSchedule")?.TotalMinutes ?? 1;
        if (exitEvery is < 1 or > 60)
        {
            throw new CliException("--exit-every must be between 1 and 60 minutes.", 2);
        }
        var fee = configuration.GetValue<decimal?>("Paper:FeeRate") ?? 0.0005m;
        return new BacktestRequest
        {
            Market = market,
            From = from,
            To = to,
            Provider = provider,
            Overrides = overrides,
            IncludeShadowSignals = parse.GetValue(Shadow),
            SignalEvery = ScheduleSettings.Interval(configuration, "SignalSchedule") ?? TimeSpan.FromMinutes(30),
            Options = new BacktestOptions
            {
                InitialKrw = initial,
                SlippageBps = slippage,
                FillAt = fillAt,
                ExitCheckEveryMinutes = exitEvery,
                FeeRate = fee,
                EvaluateSignalsEvery = ScheduleSettings.Interval(configuration, "EvaluateSignalsSchedule") ?? TimeSpan.FromHours(4),
                DailyRollUtc = ScheduleSettings.DailyAt(configuration, "RollDailyStatsSchedule") ?? new TimeSpan(15, 5, 0),
            },
        };
    }

    /// <summary>Parses repeated <c>--set key=value</c> into the JSON values PATCH /api/config would receive.</summary>
    public static Dictionary<string, JsonElement> ParseSets(IEnumerable<string> sets)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            var eq = set.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException($"--set: '{set}' is not key=value (e.g. --set stop_loss_pct=4).", 2);
            }
            var key = set[..eq].Trim();
            if (!values.TryAdd(key, BacktestRunner.ParseSettingValue(set[(eq + 1)..])))
            {
                // Which of two values the operator meant is not ours to guess.
                throw new CliException($"--set: {key} is given more than once.", 2);
            }
        }
        return values;
    }
}
