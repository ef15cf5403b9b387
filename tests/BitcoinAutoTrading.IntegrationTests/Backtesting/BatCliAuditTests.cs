using BitcoinAutoTrading.Cli;
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

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database.ConnectionString };
        var code = await BatCli.RunAsync(args, new CliContext(output, error, environment));
        return (code, output.ToString(), error.ToString());
    }
}
