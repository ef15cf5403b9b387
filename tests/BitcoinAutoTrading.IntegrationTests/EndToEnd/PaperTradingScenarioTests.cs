using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BitcoinAutoTrading.Core.Backtesting;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.MarketData;
using BitcoinAutoTrading.Functions.Risk;
using BitcoinAutoTrading.Functions.Signals;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.EndToEnd;

/// <summary>
/// Issue 9, item 1: the real composition plays 27 simulated hours of a generated market (rise, crash, recovery) in Paper
/// mode — collection every 5 minutes, a scripted Gemini every 30 — and the run is judged by what a user would see:
/// the orders, the stop-loss, the daily-loss halt and its lift at the KST roll, the API's answers and the money.
/// </summary>
public sealed class PaperTradingScenarioTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>
{
    private const string Market = ScenarioMarket.Market;
    private const decimal InitialKrw = 1_000_000m;
    private const int CollectEvery = 5;
    private const int SignalEvery = 30;
    private const int EvaluateEvery = 240;
    // 15:05 UTC is 00:05 KST, when RollDailyStats runs; the KST day changes at 15:00 UTC (minute 900).
    private const int RollMinute = 15 * 60 + 5;
    private const int BeforeRoll = 14 * 60 + 45;
    private const int AfterRoll = 15 * 60 + 10;

    // 2026-03-02 00:00 UTC = 09:00 KST, a Monday.
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly HaltedDay = new(2026, 3, 2);
    private static readonly DateOnly NextDay = new(2026, 3, 3);

    // What the model answers at each signal minute; HOLD elsewhere. 450 and 870 fall in the halt, 930 after the roll.
    private static readonly Dictionary<int, (string Signal, double Score)> Script = new()
    {
        [30] = ("BUY", 0.6),
        [240] = ("SELL", -0.5),
        [300] = ("BUY", 0.6),
        [450] = ("BUY", 0.6),
        [870] = ("BUY", 0.6),
        [930] = ("BUY", 0.6),
    };

    [Fact]
    public async Task PaperTrading_RiseCrashRecovery_StopsLossHaltsForTheDayResumesAtRollAndBalancesTheBooks()
    {
        var stopwatch = Stopwatch.StartNew();
        await database.ResetAsync();
        var market = new ScenarioMarket(Start);
        using var upbit = UpbitFake.Start();
        using var gemini = new GeminiFake();
        using var slack = new SlackFake();
        foreach (var group in new[] { "quotation", "default", "order" })
        {
            upbit.SetReportedLimit(group, 100_000);
        }
        upbit.SetCandles(Market, CandleInterval.Minute1, market.Minutes);
        var signalMinutes = Enumerable.Range(1, ScenarioMarket.RecoveryEnd / SignalEvery).Select(i => i * SignalEvery).ToList();
        foreach (var minute in signalMinutes)
        {
            var (signal, score) = Script.GetValueOrDefault(minute, ("HOLD", 0.0));
            gemini.Enqueue(200, GeminiFake.Success(GeminiFake.Answer(signal, score, score < 0 ? "bear_trend" : score > 0 ? "bull_trend" : "sideways")));
        }

        using var logs = new CapturingLoggerProvider();
        await using var app = await EndToEndApp.StartAsync(database, upbit, gemini, slack, Start, logs);
        var patch = await app.PatchAsync("config", """
            {"min_confidence":0,"position_size_min_pct":40,"position_size_max_pct":40,"max_exposure_pct":50,
             "stop_loss_pct":5,"take_profit_pct":50,"trailing_stop_activation_pct":50,"daily_loss_limit_pct":1,
             "trade_cooldown_minutes":30}
            """, r => app.Function<ConfigFunctions>().Patch(r));
        Assert.Equal(200, patch.Status);

        var timer = new TimerInfo();
        var collections = 0;
        var orchestrations = new List<OrchestrationMetadata>();
        JsonElement statusBeforeRoll = default, statusAfterRoll = default;
        for (var minute = 0; minute <= ScenarioMarket.RecoveryEnd; minute++)
        {
            app.Time.SetUtcNow(market.At(minute));
            upbit.SetTicker(Market, ScenarioMarket.LastPrice(minute));
            if (minute == 0 || minute == RollMinute)
            {
                // Minute 0 stands for the roll the deployed app ran the evening before: it opens the first KST day.
                await app.Function<RollDailyStatsFunction>().RollDailyStats(timer, CancellationToken.None);
            }
            if (minute % CollectEvery == 0)
            {
                await app.Function<CollectMarketDataFunction>().CollectMarketData(timer, app.Client, CancellationToken.None);
                collections++;
                await TrackOrderAsync(app, orchestrations);
                // The reconciler runs alongside (every 5 minutes in production); with every orchestration alive or
                // finished it must leave the books alone.
                await app.Function<SyncOpenOrdersFunction>().SyncOpenOrders(timer, app.Client, CancellationToken.None);
            }
            if (minute > 0 && minute % SignalEvery == 0)
            {
                // The analyzer asks Upbit for the newest 1h–1w candles, so the fake serves them as of the clock.
                foreach (var interval in new[] { CandleInterval.Hour1, CandleInterval.Hour4, CandleInterval.Day, CandleInterval.Week })
                {
                    upbit.SetCandles(Market, interval, market.CandlesAsOf(interval, app.Time.GetUtcNow()));
                }
                await app.Function<GenerateSignalFunction>().GenerateSignal(timer, app.Client, CancellationToken.None);
                await TrackOrderAsync(app, orchestrations);
            }
            if (minute > 0 && minute % EvaluateEvery == 0)
            {
                await app.Function<EvaluateSignalsFunction>().EvaluateSignals(timer, CancellationToken.None);
            }
            if (minute == BeforeRoll)
            {
                statusBeforeRoll = (await app.GetAsync("risk/status", null, r => app.Function<RiskFunctions>().Status(r))).Body;
            }
            if (minute == AfterRoll)
            {
                statusAfterRoll = (await app.GetAsync("risk/status", null, r => app.Function<RiskFunctions>().Status(r))).Body;
            }
        }
        var playedIn = stopwatch.Elapsed;
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();

        // Every orchestration the run started completed; every order executed, in the scripted order.
        Assert.All(orchestrations, o => Assert.Equal(OrchestrationRuntimeStatus.Completed, o.RuntimeStatus));
        var orders = await QueryAsync(dataSource,
            "SELECT id, side, reason, status, executed_volume, executed_funds_krw, paid_fee, identifier, signal_id, created_at FROM orders ORDER BY id",
            r => new ScenarioOrder(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDecimal(4), r.GetDecimal(5),
                r.GetDecimal(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetInt64(8), r.GetFieldValue<DateTimeOffset>(9)));
        Assert.Equal(
            ["BUY signal", "SELL signal", "BUY signal", "SELL stop_loss", "BUY signal"],
            orders.Select(o => $"{o.Side} {o.Reason}"));
        Assert.All(orders, o => Assert.Equal("EXECUTED", o.Status));
        Assert.Equal(orders.Count, orchestrations.Count);
        Assert.Equal(market.At(930), orders[^1].CreatedAt);

        // No order placed twice: one paper order per order row, identifiers unique on both sides.
        var paperIdentifiers = await QueryAsync(dataSource, "SELECT identifier FROM paper_orders", r => r.GetString(0));
        Assert.Equal(orders.Count, paperIdentifiers.Count);
        Assert.Equal(orders.Select(o => o.Identifier).Order(StringComparer.Ordinal), paperIdentifiers.Order(StringComparer.Ordinal));

        // The stop-loss fired in the crash (the first collection at or under 5 % below the entry), once.
        var events = await QueryAsync(dataSource,
            "SELECT event_type, action_taken, signal_id, created_at FROM risk_events ORDER BY id",
            r => (Type: r.GetString(0), Action: r.GetString(1), SignalId: r.IsDBNull(2) ? (long?)null : r.GetInt64(2), At: r.GetFieldValue<DateTimeOffset>(3)));
        var stopLoss = Assert.Single(events, e => e.Type == "STOP_LOSS");
        Assert.InRange(stopLoss.At, market.At(ScenarioMarket.RiseEnd), market.At(ScenarioMarket.CrashEnd));
        Assert.Equal(stopLoss.At, orders[3].CreatedAt);

        // The daily-loss halt tripped once on the crash day and refused both BUY signals that came while it held.
        var halt = Assert.Single(events, e => e.Type == "DAILY_LIMIT" && e.SignalId is null);
        Assert.Equal(stopLoss.At, halt.At);
        var signals = await QueryAsync(dataSource,
            "SELECT id, signal_type, provider, is_fallback, execution_note, created_at FROM trading_signals ORDER BY id",
            r => (Id: r.GetInt64(0), Type: r.GetString(1), Provider: r.GetString(2), Fallback: r.GetBoolean(3),
                Note: r.IsDBNull(4) ? null : r.GetString(4), At: r.GetFieldValue<DateTimeOffset>(5)));
        var refusedSignals = events.Where(e => e.Type == "DAILY_LIMIT" && e.SignalId is not null).Select(e => e.SignalId!.Value).ToList();
        Assert.Equal(
            signals.Where(s => s.At == market.At(450) || s.At == market.At(870)).Select(s => s.Id),
            refusedSignals);
        Assert.DoesNotContain(events, e => e.Type is "COOLDOWN" or "VOLATILITY_HALT" or "LOW_CONFIDENCE" or "POSITION_LIMIT");

        // ...and lifted at the KST roll: halted at 14:45 UTC, open again at 15:10, and the 15:30 BUY traded.
        Assert.True(statusBeforeRoll.GetProperty("dailyHalted").GetBoolean());
        Assert.False(statusBeforeRoll.GetProperty("entriesAllowed").GetBoolean());
        Assert.False(statusAfterRoll.GetProperty("dailyHalted").GetBoolean());
        Assert.True(statusAfterRoll.GetProperty("entriesAllowed").GetBoolean());
        var days = await QueryAsync(dataSource,
            "SELECT trade_date, is_halted, realized_pnl_krw, starting_equity_krw, closed_at IS NOT NULL FROM daily_stats ORDER BY trade_date",
            r => (Day: DateOnly.FromDateTime(r.GetDateTime(0)), Halted: r.GetBoolean(1), Pnl: r.GetDecimal(2), Equity: r.GetDecimal(3), Closed: r.GetBoolean(4)));
        Assert.Equal([HaltedDay, NextDay], days.Select(d => d.Day));
        Assert.True(days[0].Halted);
        Assert.True(days[0].Closed);
        Assert.True(-days[0].Pnl / days[0].Equity * 100m >= 1m);
        Assert.False(days[1].Halted);

        // Every GenerateSignal run stored exactly one signal, all from the (scripted) model, none a fallback.
        Assert.Equal(signalMinutes.Select(m => market.At(m)), signals.Select(s => s.At));
        Assert.All(signals, s => Assert.Equal("gemini", s.Provider));
        Assert.All(signals, s => Assert.False(s.Fallback));
        Assert.Equal(
            signalMinutes.Select(m => Script.TryGetValue(m, out var a) ? a.Signal : "HOLD"),
            signals.Select(s => s.Type));
        Assert.Equal(signals.Count, gemini.Requests.Count);
        Assert.Equal(
            signals.Where(s => s.Type != "HOLD" && s.Note == "order started").Select(s => s.Id),
            orders.Where(o => o.SignalId is not null).Select(o => o.SignalId!.Value));
        var jobFailures = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM job_runs WHERE outcome <> 'succeeded'");
        Assert.Equal(0, jobFailures);

        // The money: paper KRW and BTC are exactly what the fills say, to the last decimal.
        var buys = orders.Where(o => o.Side == "BUY").ToList();
        var sells = orders.Where(o => o.Side == "SELL").ToList();
        var expectedKrw = InitialKrw - buys.Sum(o => o.Funds + o.Fee) + sells.Sum(o => o.Funds - o.Fee);
        var expectedBtc = buys.Sum(o => o.Volume) - sells.Sum(o => o.Volume);
        var krw = await ScalarAsync<decimal>(dataSource, "SELECT balance + locked FROM paper_balances WHERE currency = 'KRW'");
        var btc = await ScalarAsync<decimal>(dataSource, "SELECT balance + locked FROM paper_balances WHERE currency = 'BTC'");
        Assert.Equal(expectedKrw, krw);
        Assert.Equal(expectedBtc, btc);
        Assert.True(btc > 0);

        // Realized PnL: each closed round trip's net proceeds minus its cost with fees, within the 8-decimal average,
        // and the position's total is the days' total.
        var expectedRealized = (sells[0].Funds - sells[0].Fee - buys[0].Funds - buys[0].Fee)
            + (sells[1].Funds - sells[1].Fee - buys[1].Funds - buys[1].Fee);
        var realized = await ScalarAsync<decimal>(dataSource, $"SELECT realized_pnl_krw FROM positions WHERE market = '{Market}'");
        Assert.InRange(realized, expectedRealized - 0.00000002m, expectedRealized + 0.00000002m);
        Assert.Equal(realized, days.Sum(d => d.Pnl));

        // The HTTP query functions return what the run produced.
        var listOrders = (await app.GetAsync("orders", "limit=100", r => app.Function<OrderFunctions>().List(r))).Body;
        Assert.Equal(orders.Count, listOrders.GetProperty("total").GetInt64());
        Assert.Equal(orders.Select(o => o.Id).Reverse(), listOrders.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal("stop_loss", listOrders.GetProperty("items")[1].GetProperty("reason").GetString());
        var position = (await app.GetAsync("position", null, r => app.Function<AccountFunctions>().Position(r))).Body;
        Assert.Equal(btc, position.GetProperty("quantity").GetDecimal());
        Assert.True(position.GetProperty("isOpen").GetBoolean());
        Assert.Equal(ScenarioMarket.Close(ScenarioMarket.RecoveryEnd - 1), position.GetProperty("lastPrice").GetDecimal());
        var balance = (await app.GetAsync("balance", null, r => app.Function<AccountFunctions>().Balance(r))).Body;
        Assert.Equal("Paper", balance.GetProperty("mode").GetString(), ignoreCase: true);
        Assert.Equal(krw, balance.GetProperty("krw").GetProperty("total").GetDecimal());
        Assert.Equal(btc, balance.GetProperty("coin").GetProperty("total").GetDecimal());
        Assert.Equal(
            krw + (btc * balance.GetProperty("price").GetDecimal()),
            balance.GetProperty("equityKrw").GetDecimal());
        var listSignals = (await app.GetAsync("signals", "limit=100", r => app.Function<SignalFunctions>().List(r))).Body;
        Assert.Equal(signals.Select(s => s.Id).Reverse(), listSignals.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var riskEvents = (await app.GetAsync("risk/events", "limit=100", r => app.Function<RiskFunctions>().Events(r))).Body;
        Assert.Equal(events.Select(e => e.Type).Reverse(), riskEvents.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("eventType").GetString()));
        var daily = (await app.GetAsync("stats/daily", "days=30", r => app.Function<StatsFunctions>().Daily(r))).Body;
        var dailyItems = daily.GetProperty("items").EnumerateArray()
            .ToDictionary(i => DateOnly.Parse(i.GetProperty("tradeDate").GetString()!, CultureInfo.InvariantCulture));
        Assert.True(dailyItems[HaltedDay].GetProperty("isHalted").GetBoolean());
        Assert.Equal(days[0].Pnl, dailyItems[HaltedDay].GetProperty("realizedPnlKrw").GetDecimal());
        Assert.False(dailyItems[NextDay].GetProperty("isHalted").GetBoolean());

        // The operator heard about the stop-loss and the halt on Slack.
        Assert.Contains(slack.Texts, t => t.Contains("STOP_LOSS", StringComparison.Ordinal));
        Assert.Contains(slack.Texts, t => t.Contains("Trading halted", StringComparison.Ordinal));

        // No secret in any log line of the run (R7): keys, the webhook and the database password.
        var lines = logs.Lines;
        var password = new NpgsqlConnectionStringBuilder(database.ConnectionString).Password;
        string[] secrets = [GeminiFake.ApiKey, UpbitFake.AccessKey, UpbitFake.SecretKey, SlackFake.Secret, .. password is { Length: > 0 } ? [password] : Array.Empty<string>()];
        Assert.Contains(lines, l => l.Contains("Prompt for gemini", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }

        // Issue 13, parity: the same market and the same (stored) signals through `bat backtest`'s engine give the same
        // orders, to the minute, side and won, and the same final money. The backtester is configured to the scenario's
        // cadence (exits every 5 minutes, as collection runs here) and paper trading's fill (the ticker, which here is the
        // next minute's open, no slippage).
        var backtest = await BacktestParityAsync(dataSource, market);
        output.WriteLine("  live orders                                    | backtest orders");
        for (var i = 0; i < Math.Max(orders.Count, backtest.Orders.Count); i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(i < orders.Count ? $"{orders[i].CreatedAt:HH:mm} {orders[i].Side} {orders[i].Reason} {Math.Round(orders[i].Funds, 0)} KRW" : ""),-46} | {(i < backtest.Orders.Count ? $"{backtest.Orders[i].At:HH:mm} {backtest.Orders[i].Side} {backtest.Orders[i].Reason} {Math.Round(backtest.Orders[i].FundsKrw, 0)} KRW" : "")}"));
        }
        Assert.Equal(
            orders.Select(o => (o.CreatedAt, o.Side, o.Reason, Math.Round(o.Funds, 0), o.Volume)),
            backtest.Orders.Select(o => (o.At, o.Side.ToString().ToUpperInvariant(), WireReason(o.Reason), Math.Round(o.FundsKrw, 0), o.Volume)));
        Assert.Equal(krw, backtest.FinalKrw);
        Assert.Equal(btc, backtest.FinalCoin);
        // Both marked at the last stored close (the /api/balance ticker is cached for seconds of wall-clock time, so under
        // load it may still show an earlier minute's price).
        var liveEquity = krw + (btc * ScenarioMarket.Close(ScenarioMarket.RecoveryEnd - 1));
        Assert.Equal(liveEquity, backtest.FinalEquityKrw);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  final equity: live {liveEquity:0.##} KRW, backtest {backtest.FinalEquityKrw:0.##} KRW"));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{lines.Count} log lines; {ScenarioMarket.RecoveryEnd + 1} simulated minutes (+{ScenarioMarket.PreHistoryMinutes} pre-history), {collections} collections, {signals.Count} signals, {orders.Count} orders, {events.Count} risk events, {slack.Texts.Count} Slack posts; played in {playedIn.TotalSeconds:0.0} s, total {stopwatch.Elapsed.TotalSeconds:0.0} s"));
        output.WriteLine(string.Join(Environment.NewLine, orders.Select(o => string.Create(CultureInfo.InvariantCulture,
            $"  {o.CreatedAt:HH:mm} {o.Side} {o.Reason} vol {o.Volume} funds {o.Funds} fee {o.Fee}"))));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(90), $"The scenario took {stopwatch.Elapsed}.");
    }

    private static async Task<BacktestRun> BacktestParityAsync(NpgsqlDataSource dataSource, ScenarioMarket market)
    {
        var settings = RiskSettingsJson.FromEntries(await new SystemConfigRepository(dataSource, TimeProvider.System).GetAllAsync()).Settings;
        var request = new BacktestRequest
        {
            Market = Market,
            From = market.At(0),
            To = market.At(ScenarioMarket.RecoveryEnd + 1),
            Provider = BacktestProvider.Recorded,
            // The paper exchange's fill model (the ticker at the decision, no slippage) and the scenario's collection cadence.
            Options = new BacktestOptions { InitialKrw = InitialKrw, SlippageBps = 0m, FillAt = BacktestFill.Ticker, ExitCheckEveryMinutes = CollectEvery },
        };
        var prepared = await new BacktestRunner(new BacktestDataReader(dataSource)).PrepareAsync(request);
        return BacktestRunner.Run(prepared, settings);
    }

    private static string WireReason(OrderReason reason) => reason switch
    {
        OrderReason.Signal => "signal",
        OrderReason.StopLoss => "stop_loss",
        OrderReason.TakeProfit => "take_profit",
        OrderReason.TrailingStop => "trailing_stop",
        _ => "manual",
    };

    private static async Task TrackOrderAsync(EndToEndApp app, List<OrchestrationMetadata> orchestrations)
    {
        var instance = await app.WaitForOrderAsync();
        if (instance is not null && (orchestrations.Count == 0 || orchestrations[^1].CreatedAt != instance.CreatedAt))
        {
            orchestrations.Add(instance);
        }
    }

    private static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> map)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed record ScenarioOrder(
        long Id, string Side, string Reason, string Status, decimal Volume, decimal Funds, decimal Fee, string Identifier,
        long? SignalId, DateTimeOffset CreatedAt);
}
