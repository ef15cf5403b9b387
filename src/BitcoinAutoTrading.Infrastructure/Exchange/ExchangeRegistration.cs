using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Paper;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using BitcoinAutoTrading.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange;

public static class ExchangeRegistration
{
    /// <summary>
    /// Registers <see cref="IExchange"/> for <c>Trading:Mode</c> (Paper by default, Live with Upbit keys), behind the
    /// ticker/balance cache, plus <see cref="IExchangeHealth"/>. Both modes need the NpgsqlDataSource of AddPersistence: Paper keeps
    /// its ledger there, and a 418 block is shared there by every instance.
    /// </summary>
    public static IHostApplicationBuilder AddExchange(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var mode = TradingModeSetting.Read(builder.Configuration);
        var services = builder.Services;

        services.AddOptions<UpbitOptions>().BindConfiguration(UpbitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<UpbitOptions>>(new UpbitLiveKeysValidator(mode));
        services.AddOptions<PaperOptions>().BindConfiguration(PaperOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        // The 418 block is shared through PostgreSQL (needs the NpgsqlDataSource of AddPersistence).
        services.AddSingleton<UpbitBlockStore>();
        services.AddSingleton<UpbitHealthState>();
        services.AddSingleton<IExchangeHealth>(sp => sp.GetRequiredService<UpbitHealthState>());
        services.AddSingleton<UpbitRateLimiters>();
        services.AddTransient<UpbitRateLimitHandler>();
        services.AddTransient<UpbitAuthenticationHandler>();

        // Handler order, outermost first: retry/timeout (Polly) → span per attempt → 418 gate + rate limiter → signing → network.
        // Signing sits inside the retry so every attempt carries a fresh nonce.
        var quotationClient = services.AddHttpClient<UpbitQuotationClient>(ConfigureClient).RedactLoggedHeaders(_ => true);
        quotationClient.AddResilienceHandler("upbit-quotation", UpbitResilience.Configure);
        quotationClient.AddHttpMessageHandler(() => new OutboundCallTelemetryHandler("upbit", recordExchangeDuration: true));
        quotationClient.AddHttpMessageHandler<UpbitRateLimitHandler>();
        var exchangeClient = services.AddHttpClient<UpbitExchangeClient>(ConfigureClient).RedactLoggedHeaders(_ => true);
        exchangeClient.AddResilienceHandler("upbit-exchange", UpbitResilience.Configure);
        exchangeClient.AddHttpMessageHandler(() => new OutboundCallTelemetryHandler("upbit", recordExchangeDuration: true));
        exchangeClient.AddHttpMessageHandler<UpbitRateLimitHandler>();
        exchangeClient.AddHttpMessageHandler<UpbitAuthenticationHandler>();

        services.AddMetrics();
        services.AddHybridCache();
        services.TryAddSingleton<ExchangeCacheMetrics>();
        services.TryAddSingleton<PaperLedgerRepository>();
        services.AddTransient<UpbitExchange>();
        services.AddTransient<PaperExchange>();
        services.AddTransient<IExchange>(sp => new CachingExchange(
            mode == TradingMode.Live ? sp.GetRequiredService<UpbitExchange>() : sp.GetRequiredService<PaperExchange>(),
            sp.GetRequiredService<HybridCache>(),
            sp.GetRequiredService<ExchangeCacheMetrics>()));
        return builder;
    }

    private static void ConfigureClient(IServiceProvider services, HttpClient client)
    {
        var options = services.GetRequiredService<IOptions<UpbitOptions>>().Value;
        client.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
        // Polly's per-attempt timeout governs; this only backstops a pipeline that never completes.
        client.Timeout = options.RequestTimeout * (options.MaxRetries + 2) + options.MaxRetryAfter * options.MaxRetries;
    }
}
