using System.Text;
using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.MarketData;
using BitcoinAutoTrading.Functions.Signals;
using BitcoinAutoTrading.IntegrationTests.EndToEnd;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Risk;

/// <summary>
/// Issue 12 items 1 and 7: two app instances over one PostgreSQL, each the whole app as Program.cs composes it
/// (<see cref="EndToEndApp"/>: its own service provider, its own caches, its own Durable test host), sharing the
/// Upbit, Gemini and Slack fakes. They stand in for two Flex Consumption instances: the HTTP function served by one,
/// the timer job run by the other. Function classes are called directly, as the worker would invoke them.
/// </summary>
public sealed class MultiInstanceRiskTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Market = ScenarioMarket.Market;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly ScenarioMarket _market = new(Start);
    private readonly UpbitFake _upbit = UpbitFake.Start();
    private readonly GeminiFake _gemini = new();
    private readonly SlackFake _slack = new();
    private readonly CapturingLoggerProvider _logs = new();
    private EndToEndApp _a = null!;
    private EndToEndApp _b = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        foreach (var group in new[] { "quotation", "default", "order" })
        {
            _upbit.SetReportedLimit(group, 100_000);
        }
        _upbit.SetCandles(Market, CandleInterval.Minute1, _market.Minutes);
        _a = await EndToEndApp.StartAsync(database, _upbit, _gemini, _slack, Start, _logs);
        _b = await EndToEndApp.StartAsync(database, _upbit, _gemini, _slack, Start, _logs);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _logs.Dispose();
        _slack.Dispose();
        _gemini.Dispose();
        _upbit.Dispose();
    }

    [Fact]
    public async Task KillSwitch_HaltAndResumeThroughInstanceA_InForceOnInstanceBsNextSignalRun()
    {
        // Through A: any confidence may trade, so the scripted BUYs are judged by the kill switch alone.
        Assert.Equal(200, (await SendAsync(_a, "PATCH", "config", """{"min_confidence":0}""", r => _a.Function<ConfigFunctions>().Patch(r))).Status);
        _gemini.Enqueue(200, GeminiFake.Success(GeminiFake.Answer("BUY", 0.6)));
        _gemini.Enqueue(200, GeminiFake.Success(GeminiFake.Answer("BUY", 0.6)));

        // B runs a minute's collection first, so whatever B keeps of the settings is warm before the halt.
        await AtMinuteAsync(29);
        await CollectOnBAsync();

        // Halted through A's HTTP function; B's very next signal run has a BUY and starts nothing.
        var halt = await SendAsync(_a, "POST", "trading/halt", """{"reason":"operator on instance A"}""", r => _a.Function<TradingControlFunctions>().Halt(r));
        Assert.Equal(200, halt.Status);
        await AtMinuteAsync(30);
        await CollectOnBAsync();
        await SignalOnBAsync();

        Assert.Null(await _b.WaitForOrderAsync());
        Assert.Equal(("BUY", "refused: KILL_SWITCH"), await SignalNoteAsync());
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM risk_events WHERE event_type = 'KILL_SWITCH' AND signal_id IS NOT NULL"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM orders"));

        // Resumed through A: B's next signal run trades.
        var resume = await SendAsync(_a, "POST", "trading/resume", """{"reason":"back"}""", r => _a.Function<TradingControlFunctions>().Resume(r));
        Assert.Equal(200, resume.Status);
        await AtMinuteAsync(60);
        await CollectOnBAsync();
        await SignalOnBAsync();

        Assert.NotNull(await _b.WaitForOrderAsync());
        Assert.Equal(("BUY", "order started"), await SignalNoteAsync());
        Assert.Equal("EXECUTED", await TextAsync("SELECT status FROM orders WHERE side = 'BUY'"));
    }

    [Fact]
    public async Task StopLoss_PatchedThroughInstanceA_InstanceBsExitCheckUsesItWithin60Seconds()
    {
        // A position bought through B's own signal run.
        Assert.Equal(200, (await SendAsync(_a, "PATCH", "config", """{"min_confidence":0}""", r => _a.Function<ConfigFunctions>().Patch(r))).Status);
        _gemini.Enqueue(200, GeminiFake.Success(GeminiFake.Answer("BUY", 0.6)));
        await AtMinuteAsync(60);
        await CollectOnBAsync();
        await SignalOnBAsync();
        Assert.NotNull(await _b.WaitForOrderAsync());
        var position = (await _b.Services.GetRequiredService<IPositionRepository>().GetAsync(Market))!;
        Assert.True(position.IsOpen);

        // B's exit check with the default 5 % stop-loss: 2 % under the entry sells nothing.
        var dipped = Math.Round(position.AvgEntryPrice * 0.98m / 1_000m) * 1_000m;
        await AtMinuteAsync(61, price: dipped);
        await CollectOnBAsync();
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM risk_events WHERE event_type = 'STOP_LOSS'"));

        // PATCH stop_loss_pct=1 through A; 60 s of fake time later B's exit check sells on the new value.
        Assert.Equal(200, (await SendAsync(_a, "PATCH", "config", """{"stop_loss_pct":1}""", r => _a.Function<ConfigFunctions>().Patch(r))).Status);
        await AtMinuteAsync(62, price: dipped);
        await CollectOnBAsync();

        var threshold = await TextAsync("SELECT threshold_value::text FROM risk_events WHERE event_type = 'STOP_LOSS'");
        Assert.NotNull(threshold);
        Assert.Equal(1m, decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(await _b.WaitForOrderAsync());
        Assert.Equal("stop_loss", await TextAsync("SELECT reason FROM orders WHERE side = 'SELL'"));
    }

    [Fact]
    public async Task DailyLossHalt_TwoInstancesRacing_OneDailyLimitEventAndOneNotification()
    {
        await AtMinuteAsync(120);
        var day = Core.Market.KstClock.TradingDay(_a.Time.GetUtcNow());
        var guards = new[] { _a, _b }.Select(app => app.Services.GetRequiredService<IDailyLossGuard>()).ToArray();
        await _a.Services.GetRequiredService<IDailyStatsRepository>().EnsureDayAsync(day, 1_000_000m);
        await ExecuteAsync("UPDATE daily_stats SET realized_pnl_krw = -60000, loss_count = 1, trade_count = 1");

        // Several rounds, each both instances at once, so an unguarded check-then-set shows up as a double halt.
        for (var round = 0; round < 5; round++)
        {
            await ExecuteAsync("UPDATE daily_stats SET is_halted = false, halt_reason = NULL");
            await ExecuteAsync("DELETE FROM risk_events");
            var slackBefore = HaltTexts().Count;
            using var go = new ManualResetEventSlim();
            var racers = guards.Select(g => Task.Run(async () =>
            {
                go.Wait();
                return await g.CheckDailyLossAsync();
            })).ToArray();
            go.Set();
            var statuses = await Task.WhenAll(racers);

            Assert.All(statuses, s => Assert.True(s.IsHalted));
            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM risk_events WHERE event_type = 'DAILY_LIMIT'"));
            Assert.Equal(slackBefore + 1, await HaltTextCountAsync(slackBefore + 1));
        }
    }

    /// <summary>
    /// The halt notifications Slack has seen: WireMock logs a request just after answering it, so this waits (up to 3 s)
    /// for <paramref name="expected"/> and then a little longer, so that a second, unwanted one would be counted too.
    /// </summary>
    private async Task<int> HaltTextCountAsync(int expected)
    {
        for (var waited = 0; HaltTexts().Count < expected && waited < 3_000; waited += 50)
        {
            await Task.Delay(50);
        }
        await Task.Delay(300);
        return HaltTexts().Count;
    }

    private List<string> HaltTexts() => _slack.Texts.Where(t => t.Contains("Trading halted until", StringComparison.Ordinal)).ToList();

    /// <summary>Both instances' clocks at the scenario minute, and the exchange's price as of then.</summary>
    private Task AtMinuteAsync(int minute, decimal? price = null)
    {
        foreach (var app in new[] { _a, _b })
        {
            app.Time.SetUtcNow(_market.At(minute));
        }
        if (price is { } p)
        {
            // The market moved: the minutes closed since the previous one and the ticker all at the new price.
            var minutes = _market.Minutes.Where(m => m.Start < _market.At(minute - 1)).ToList();
            minutes.Add(new Candle(Market, _market.At(minute - 1), p, p, p, p, 1m, p));
            _upbit.SetCandles(Market, CandleInterval.Minute1, minutes);
            _upbit.SetTicker(Market, p);
        }
        else
        {
            _upbit.SetTicker(Market, ScenarioMarket.LastPrice(minute));
        }
        return Task.CompletedTask;
    }

    private Task CollectOnBAsync() =>
        _b.Function<CollectMarketDataFunction>().CollectMarketData(new TimerInfo(), _b.Client, CancellationToken.None);

    private async Task SignalOnBAsync()
    {
        foreach (var interval in new[] { CandleInterval.Hour1, CandleInterval.Hour4, CandleInterval.Day, CandleInterval.Week })
        {
            _upbit.SetCandles(Market, interval, _market.CandlesAsOf(interval, _b.Time.GetUtcNow()));
        }
        await _b.Function<GenerateSignalFunction>().GenerateSignal(new TimerInfo(), _b.Client, CancellationToken.None);
    }

    private async Task<(string Type, string? Note)> SignalNoteAsync()
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT signal_type, execution_note FROM trading_signals ORDER BY id DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string?> TextAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An HTTP function of one instance, with a request routed as the host would; status and JSON back.</summary>
    private static async Task<(int Status, JsonElement Body)> SendAsync(
        EndToEndApp app, string method, string path, string json, Func<HttpRequest, Task<IActionResult>> function)
    {
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Method = method;
        context.Request.Path = new PathString("/api/" + path);
        var body = Encoding.UTF8.GetBytes(json);
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Response.Body = new MemoryStream();
        var result = await function(context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, document.RootElement.Clone());
    }
}
