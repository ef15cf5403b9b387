using System.Text;
using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.Functions.Health;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.Infrastructure.Ai.Gemini;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>A status, headers and parsed JSON body, as a client of the Functions host would see them.</summary>
internal sealed record ApiResponse(int Status, string? ContentType, IHeaderDictionary Headers, JsonElement Body)
{
    public bool IsProblem => ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true
                             && Body.ValueKind == JsonValueKind.Object
                             && Body.TryGetProperty("status", out var status) && status.GetInt32() == Status
                             && Body.TryGetProperty("title", out _);

    public string[] ErrorsFor(string field) =>
        Body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            ? messages.EnumerateArray().Select(m => m.GetString()!).ToArray()
            : [];
}

/// <summary>
/// The function classes wired as the worker wires them (constructor injection from a container) over the real
/// PostgreSQL repositories; the exchange, notifier, signal runner and settings provider are mocks. Results are executed
/// through ASP.NET Core's own result executor, so status, headers and JSON are what the host would send.
/// </summary>
internal sealed class ApiTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    private ApiTestHost(
        PostgresDatabaseFixture database, bool withRunner, bool withSettingsProvider, string? geminiKey, NpgsqlDataSource? dataSource)
    {
        Database = database;
        Time = new FakeTimeProvider(Now);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMvcCore();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(dataSource ?? database.DataSource);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Trading:Mode"] = "Paper" })
            .Build());
        services.AddSingleton(Options.Create(new TradingOptions()));
        services.AddSingleton<IMarketDataRepository, MarketDataRepository>();
        services.AddSingleton<ISignalRepository, SignalRepository>();
        services.AddSingleton(BitcoinAutoTrading.Core.Signals.AiPricing.Default);
        services.AddSingleton<IOrderRepository, OrderRepository>();
        services.AddSingleton<IPositionRepository, PositionRepository>();
        services.AddSingleton<IDailyStatsRepository, DailyStatsRepository>();
        services.AddSingleton<IRiskEventRepository, RiskEventRepository>();
        services.AddSingleton<ISystemConfigRepository, SystemConfigRepository>();
        services.AddSingleton<IJobRunRepository, JobRunRepository>();
        services.AddSingleton<BitcoinAutoTrading.Core.Backtesting.IBacktestRunRepository, BacktestRunRepository>();
        services.AddSingleton(Exchange.Object);
        services.AddSingleton(ExchangeHealth.Object);
        services.AddSingleton(Notifier.Object);
        if (withRunner)
        {
            services.AddSingleton(SignalRunner.Object);
        }
        if (withSettingsProvider)
        {
            services.AddSingleton(SettingsProvider.Object);
        }
        services.AddSingleton(Options.Create(new GeminiOptions { ApiKey = geminiKey }));
        services.AddSingleton(Options.Create(HealthOptions));
        services.AddSingleton<ManualSignalCooldown>();
        // The manual signal endpoint hands its durable client over; the mocked runner never starts an order with it.
        services.AddSingleton<DurableClientAccessor>();
        services.AddTransient<HealthProbes>();
        services.AddTransient<DetailedHealthChecker>();
        _services = services.BuildServiceProvider();

        ExchangeHealth.Setup(h => h.GetSnapshot()).Returns(() => Snapshot);
        ExchangeHealth.Setup(h => h.GetSnapshotAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => Snapshot);
        SettingsProvider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new RiskSettings());
        SettingsProvider.Setup(p => p.IsTradingEnabledAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true);
        Exchange.Setup(e => e.GetBalancesAsync(It.IsAny<CancellationToken>())).ReturnsAsync([new Balance("KRW", 1_000_000m, 0m, 0m)]);
        Exchange.Setup(e => e.GetTickerAsync(TradingOptions.DefaultMarket, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Ticker(TradingOptions.DefaultMarket, 100_000_000m, Now));
        Exchange.Setup(e => e.GetOrderChanceAsync(TradingOptions.DefaultMarket, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderChance(TradingOptions.DefaultMarket, 0.0005m, 0.0005m, 5_000m));
    }

    public PostgresDatabaseFixture Database { get; }

    public FakeTimeProvider Time { get; }

    public Mock<IExchange> Exchange { get; } = new();

    public Mock<IExchangeHealth> ExchangeHealth { get; } = new();

    public ExchangeHealthSnapshot Snapshot { get; set; } =
        new(false, null, 200, Now, null, new Dictionary<string, RemainingRequests>());

    public Mock<INotifier> Notifier { get; } = new();

    public Mock<ISignalRunner> SignalRunner { get; } = new();

    public Mock<IRiskSettingsProvider> SettingsProvider { get; } = new();

    public HealthCheckOptions HealthOptions { get; } = new() { ProbeTimeout = TimeSpan.FromSeconds(2) };

    public NpgsqlDataSource DataSource => Database.DataSource;

    /// <summary>A host over a freshly emptied database.</summary>
    public static async Task<ApiTestHost> CreateAsync(
        PostgresDatabaseFixture database, bool withRunner = true, bool withSettingsProvider = true, string? geminiKey = null,
        NpgsqlDataSource? dataSource = null)
    {
        await database.ResetAsync();
        return new ApiTestHost(database, withRunner, withSettingsProvider, geminiKey, dataSource);
    }

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public T Service<T>() where T : notnull => _services.GetRequiredService<T>();

    public HttpRequest Request(string method, string path, string? query = null, string? body = null) =>
        Request(method, path, query, body is null ? null : Encoding.UTF8.GetBytes(body));

    public HttpRequest Request(string method, string path, string? query, byte[]? body)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = method;
        context.Request.Path = new PathString("/api/" + path);
        if (!string.IsNullOrEmpty(query))
        {
            context.Request.QueryString = new QueryString(query.StartsWith('?') ? query : "?" + query);
        }
        if (body is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(body);
            context.Request.ContentLength = body.Length;
        }
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Runs the result the way the host does and reads back what would go over the wire.</summary>
    public static async Task<ApiResponse> ExecuteAsync(HttpRequest request, IActionResult result)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        var text = await reader.ReadToEndAsync();
        var body = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiResponse(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, body);
    }

    public async Task<ApiResponse> SendAsync(HttpRequest request, Func<HttpRequest, Task<IActionResult>> function) =>
        await ExecuteAsync(request, await function(request));

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}

