using System.Text.Json;
using BitcoinAutoTrading.Cli;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.UnitTests.Backtesting;

namespace BitcoinAutoTrading.IntegrationTests.Backtesting;

/// <summary>
/// Issue 13's hostile audit of <c>bat</c> as the operator runs it: inputs that must end in one clear line and a non-zero
/// exit code (Must 1: "clear errors for bad flags, an unreachable database, an empty range"; Must 8), never an exception.
/// </summary>
public sealed class BatCliAuditTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// `--set min_confidence=.7` is a number (decimal reads it); BacktestRunner.ParseSettingValue passes the raw text to
    /// JsonDocument.Parse, which rejects it with a JsonException that CliContext does not catch. Expected: the value is
    /// taken as 0.7, so the run goes on to the data — here there is none, which is the clear "No stored" error.
    /// </summary>
    [Fact]
    public async Task Backtest_SetNumberWithoutLeadingZero_IsTakenAsTheNumber()
    {
        await database.ResetAsync();

        var (code, _, error) = await RunAsync(
            ["backtest", "--from", "2026-01-19", "--to", "2026-01-26", "--set", "min_confidence=.7", "--no-store"]);

        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Contains("No stored KRW-BTC minutes", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// 14 days imported and a month asked for: every stored minute is warm-up. PrepareAsync only compares the warm-up's
    /// end with --to, so the engine throws ArgumentException ("No stored minutes between …"), which CliContext does not
    /// catch. Expected (Must 8): exit 2 and an error naming the 14-day warm-up.
    /// </summary>
    [Fact]
    public async Task Backtest_StoredMinutesAllWithinTheWarmUp_FailsNamingTheWarmUp()
    {
        await database.ResetAsync();
        await BacktestTestData.InsertMinutesAsync(database.DataSource, GeneratedMarket.Minutes(Start, 14 * 1440, seed: 5));

        var (code, _, error) = await RunAsync(["backtest", "--from", "2026-01-05", "--to", "2026-02-05", "--no-store"]);

        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Contains("14-day warm-up", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// `--holdout 30%` of a range whose minutes end before the split (--to past the import): the held-out replay has no
    /// minute, BacktestEngine.Run throws inside Parallel.For and the sweep dies with an AggregateException. Expected: exit
    /// 2 and an error saying the held-out part holds no stored minutes.
    /// </summary>
    [Fact]
    public async Task Sweep_HoldoutAfterTheLastStoredMinute_FailsSayingTheHeldOutPartHasNoData()
    {
        await database.ResetAsync();
        await BacktestTestData.InsertMinutesAsync(database.DataSource, GeneratedMarket.Minutes(Start, 20 * 1440, seed: 5));

        var (code, _, error) = await RunAsync(
            ["sweep", "--from", "2026-01-19", "--to", "2026-02-14", "--set", "stop_loss_pct=3,5", "--holdout", "30%"]);

        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Contains("held-out", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// `--provider recorded --shadow`: a shadow is stored beside its primary from the same run (SignalRunner stores it with
    /// shadow_of_id; live never trades it, SignalResult.IsActionable). BacktestDataReader then returns both rows and
    /// StoredSignal has no shadow flag, so the replay acts on both in the same minute: here the primary's BUY fills and
    /// its shadow's SELL sells it back at once, a round trip of fees no live configuration makes. Expected: one decision
    /// per GenerateSignal run (the shadow replayed in place of its primary, or the primary alone).
    /// </summary>
    [Fact]
    public async Task RecordedWithShadow_PrimaryAndItsShadowInOneRun_ReplaysOneDecisionForTheRun()
    {
        await database.ResetAsync();
        var price = 100_000_000m;
        await BacktestTestData.InsertMinutesAsync(database.DataSource, Enumerable.Range(0, 120)
            .Select(i => new MarketMinute(0, "KRW-BTC", Start.AddMinutes(i), price, price, price, price, 1m, price)));
        var signals = new SignalRepository(database.DataSource);
        var at = Start.AddMinutes(30);
        var primary = await signals.InsertAsync(new NewSignal
        {
            Market = "KRW-BTC", Type = SignalType.Buy, ActionScore = 0.6m, Confidence = 0.9m, Provider = SignalProviderKind.Gemini, CreatedAt = at,
        });
        await signals.InsertAsync(new NewSignal
        {
            Market = "KRW-BTC", Type = SignalType.Sell, ActionScore = -0.6m, Confidence = 0.9m, Provider = SignalProviderKind.Technical,
            CreatedAt = at, IsShadow = true, ShadowOfId = primary,
        });

        var prepared = await new BacktestRunner(new BacktestDataReader(database.DataSource)).PrepareAsync(new BacktestRequest
        {
            Market = "KRW-BTC", From = Start, To = Start.AddMinutes(120), Provider = BacktestProvider.Recorded, IncludeShadowSignals = true,
        });
        var run = BacktestRunner.Run(prepared, new RiskSettings { MinConfidence = 0m, MinHitRate = 0m });

        Assert.True(
            prepared.Signals.Count(s => s.At == at) == 1,
            "orders: " + string.Join(", ", run.Orders.Select(o => $"{o.At:HH:mm} {o.Side} {o.Reason} fee {o.FeeKrw:0}")));
        Assert.DoesNotContain(run.Orders, o => o.Side == OrderSide.Sell && o.At == at);
    }

    /// <summary>
    /// Issue 13 Must 1: `bat` takes "configuration from the same settings names as the app". GenerateSignal runs on
    /// <c>%SignalSchedule%</c> (GenerateSignalFunction), but the backtest never reads it: BacktestRequest.SignalEvery is
    /// always 30 min, so an operator who trades every 15 minutes backtests a different strategy (half the decisions)
    /// without being told. Expected: with SignalSchedule "0 */15 * * * *" a day replays 96 signals.
    /// </summary>
    [Fact]
    public async Task Backtest_SignalScheduleEveryFifteenMinutes_ReplaysASignalEveryFifteenMinutes()
    {
        await database.ResetAsync();
        await BacktestTestData.InsertMinutesAsync(database.DataSource, GeneratedMarket.Minutes(Start, 15 * 1440, seed: 5));
        var folder = Directory.CreateTempSubdirectory("bat-audit-").FullName;

        var (code, _, error) = await RunAsync(
            ["backtest", "--from", "2026-01-19", "--to", "2026-01-20", "--no-store", "--out", folder],
            ("SignalSchedule", "0 */15 * * * *"));

        Assert.True(code == 0, error);
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "backtest-KRW-BTC-20260119-20260120.json")))
            .RootElement.GetProperty("report");
        Assert.Equal(96, report.GetProperty("signalsByType").EnumerateObject().Sum(p => p.Value.GetInt32()));
    }

    /// <summary>The replay reproduces regular schedules only; any other is refused naming the setting, never replaced by a default.</summary>
    [Fact]
    public async Task Backtest_SignalScheduleTheReplayCannotReproduce_FailsNamingTheSetting()
    {
        var (code, _, error) = await RunAsync(
            ["backtest", "--from", "2026-01-19", "--to", "2026-01-20", "--no-store"], ("SignalSchedule", "0 */7 * * * *"));

        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Contains("SignalSchedule '0 */7 * * * *' cannot be replayed", error, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args, params (string Key, string Value)[] settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database.ConnectionString };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        var code = await BatCli.RunAsync(args, new CliContext(output, error, environment));
        return (code, output.ToString(), error.ToString());
    }
}
