using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Providers;
using BitcoinAutoTrading.Core.Signals.Sampling;
using BitcoinAutoTrading.Infrastructure.Observability;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

public static class GeminiRegistration
{
    public static IHostApplicationBuilder AddGemini(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGemini();
        return builder;
    }

    /// <summary>
    /// What the signal pipeline needs from Infrastructure: the SQL sampler and the Gemini provider
    /// (which reports itself unconfigured, so the technical provider runs, when Gemini:ApiKey is empty).
    /// </summary>
    public static IServiceCollection AddGemini(this IServiceCollection services)
    {
        services.AddOptions<GeminiOptions>()
            .BindConfiguration(GeminiOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Gemini:Prices:{model}:InputPerMillion / OutputPerMillion over Core's default price table.
        services.AddOptions<AiPricingOptions>()
            .BindConfiguration(AiPricingOptions.Section)
            .Validate(AiPriceTable.IsValid, "Gemini:Prices: prices per million tokens must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IMarketSampler, MarketSamplingQuery>();
        services.AddTransient<ISignalProvider, GeminiSignalProvider>();

        var gemini = services.AddHttpClient<GeminiClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<GeminiOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
                // The resilience handler bounds each attempt; the client must not cut the retries short.
                http.Timeout = Timeout.InfiniteTimeSpan;
            });
        gemini.AddResilienceHandler("gemini", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<GeminiOptions>>().Value;
                var timeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = false,
                    Delay = options.RetryBaseDelay,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => GeminiRetryPolicy.ShouldRetryAsync(
                        args.Outcome, timeProvider, options.MaxRetryDelay, args.Context.CancellationToken),
                    DelayGenerator = args => GeminiRetryPolicy.DelayAsync(args.Outcome, timeProvider, args.Context.CancellationToken),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
            });
        // Inside the retry: one span per attempt.
        gemini.AddHttpMessageHandler(() => new OutboundCallTelemetryHandler("gemini", recordExchangeDuration: false));
        return services;
    }
}
