using BitcoinAutoTrading.IntegrationTests.Trading;
using System.Text;
using System.Text.Json;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BitcoinAutoTrading.IntegrationTests.EndToEnd;

/// <summary>
/// The whole app as Program.cs composes it (<see cref="AppComposition.ComposeApp"/>) on a plain host, with only
/// settings overridden: the test database, Upbit/Gemini/Slack fakes over real HTTP, Paper mode, fast polling and job
/// retries, and a <see cref="FakeTimeProvider"/> as the app's clock. Orders run through the real orchestrator and
/// activities in the Durable in-process test host, whose activities come from the app's own container.
/// </summary>
internal sealed class EndToEndApp : IAsyncDisposable
{
    private EndToEndApp(IHost host, DurableTaskTestHost durable, FakeTimeProvider time)
    {
        Host = host;
        Durable = durable;
        Time = time;
    }

    public IHost Host { get; }

    public DurableTaskTestHost Durable { get; }

    public DurableTaskClient Client => Durable.Client;

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => Host.Services;

    public static async Task<EndToEndApp> StartAsync(
        PostgresDatabaseFixture database, UpbitFake upbit, GeminiFake gemini, SlackFake slack, DateTimeOffset start,
        ILoggerProvider logSink)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Before ComposeApp, like any provider the host adds: the app's redaction wraps every provider registered earlier.
        // Debug, so the masked prompt is among the lines checked.
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logSink);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Trading:Mode"] = "Paper",
            ["Trading:Market"] = ScenarioMarket.Market,
            ["Paper:InitialKrw"] = "1000000",
            ["Upbit:BaseUrl"] = upbit.Url,
            // Paper mode does not sign requests, but every secret is configured so the logs can be checked for all (R7).
            ["Upbit:AccessKey"] = UpbitFake.AccessKey,
            ["Upbit:SecretKey"] = UpbitFake.SecretKey,
            ["Upbit:RetryBaseDelay"] = "00:00:00.010",
            ["Upbit:QuotationRequestsPerSecond"] = "1000",
            ["Upbit:ExchangeRequestsPerSecond"] = "1000",
            ["Upbit:OrderRequestsPerSecond"] = "1000",
            ["Gemini:ApiKey"] = GeminiFake.ApiKey,
            ["Gemini:BaseUrl"] = gemini.BaseUrl,
            ["Gemini:RetryBaseDelay"] = "00:00:00.010",
            ["Slack:WebhookUrl"] = slack.WebhookUrl,
            ["Orders:PollTimeout"] = "00:00:05",
            ["Orders:PollInitialInterval"] = "00:00:00.050",
            ["Orders:PollMaxInterval"] = "00:00:00.200",
            ["Jobs:FirstRetryDelay"] = "00:00:00.010",
            ["MarketDataSchedule"] = "0 * * * * *",
            ["SignalSchedule"] = "0 */30 * * * *",
            ["EvaluateSignalsSchedule"] = "0 0 */4 * * *",
            ["RollDailyStatsSchedule"] = "0 5 15 * * *",
            ["SyncOpenOrdersSchedule"] = "0 */5 * * * *",
            ["PurgeMarketDataSchedule"] = "0 30 18 * * *",
        });
        builder.ComposeApp();
        // The services read the clock through TimeProvider; the scenario moves it minute by minute.
        var time = new FakeTimeProvider(start);
        builder.Services.AddSingleton<TimeProvider>(time);
        // The in-memory caches (the exchange's 10 s ticker and balances, the settings) expire on the scenario's clock, as
        // they do on the real one in production; on the wall clock a simulated minute lasts milliseconds, so the exits
        // (which judge the ticker since issue #12) would see a price several simulated minutes old.
        builder.Services.Configure<MemoryCacheOptions>(o => o.Clock = new ScenarioClock(time));
        // What ConfigureFunctionsWebApplication brings for executing IActionResult: MVC's result executors.
        builder.Services.AddMvcCore();
        var host = builder.Build();
        await host.StartAsync();

        var services = host.Services;
        // A fresh OrderActivities per call from the app's container, as the worker activates function classes.
        var durable = await DurableTestHosts.StartAsync(registry => registry.AddOrderOrchestration(() => Activities(services)));
        services.GetRequiredService<DurableClientAccessor>().Use(durable.Client);
        return new EndToEndApp(host, durable, time);
    }

    /// <summary>A function class activated from the app's container, as the worker does per invocation.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Waits until the market's order orchestration, if any was started, has finished.</summary>
    public async Task<OrchestrationMetadata?> WaitForOrderAsync()
    {
        var instanceId = ExecuteOrderOrchestrator.InstanceIdFor(ScenarioMarket.Market);
        var instance = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false);
        if (instance is null || instance.IsCompleted)
        {
            return instance;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Calls an HTTP function with a request routed as the host would and reads back status and JSON.</summary>
    public async Task<(int Status, JsonElement Body)> GetAsync(string path, string? query, Func<HttpRequest, Task<IActionResult>> function)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "GET";
        context.Request.Path = new PathString("/api/" + path);
        if (query is not null)
        {
            context.Request.QueryString = new QueryString("?" + query);
        }
        context.Response.Body = new MemoryStream();
        return await ExecuteAsync(context, await function(context.Request));
    }

    public async Task<(int Status, JsonElement Body)> PatchAsync(string path, string json, Func<HttpRequest, Task<IActionResult>> function)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "PATCH";
        context.Request.Path = new PathString("/api/" + path);
        var body = Encoding.UTF8.GetBytes(json);
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Response.Body = new MemoryStream();
        return await ExecuteAsync(context, await function(context.Request));
    }

    public async ValueTask DisposeAsync()
    {
        await Durable.DisposeAsync();
        await Host.StopAsync();
        Host.Dispose();
    }

    private static OrderActivities Activities(IServiceProvider services) => ActivatorUtilities.CreateInstance<OrderActivities>(services);

    private static async Task<(int Status, JsonElement Body)> ExecuteAsync(HttpContext context, IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, document.RootElement.Clone());
    }

    private sealed class ScenarioClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
