using BitcoinAutoTrading.Core.Signals.Providers;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Ai.Gemini;

/// <summary>The <c>gemini</c> provider: sends the prompt with a response schema and validates what comes back.</summary>
public sealed class GeminiSignalProvider(GeminiClient client, IOptions<GeminiOptions> options) : ISignalProvider
{
    public string Name => SignalProviderNames.Gemini;

    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<ProviderSignal> GetSignalAsync(SignalContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = string.IsNullOrWhiteSpace(context.Model) ? options.Value.Model : context.Model;
        var requestJson = GeminiRequestFactory.Create(context.Prompt, options.Value.Temperature);
        var result = await client.GenerateContentAsync(model, requestJson, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            var perDay = result.StatusCode == System.Net.HttpStatusCode.TooManyRequests && GeminiRetryPolicy.IsPerDayQuota(result.Body);
            throw new SignalProviderException(
                $"Gemini answered {GeminiClient.DescribeError(result.StatusCode, result.Body)}{(perDay ? " (per-day quota)" : "")}",
                new ProviderUsage(model, null, null, null, result.LatencyMs), null, dailyQuotaExhausted: perDay);
        }
        return GeminiResponseParser.Parse(result.Body, model, result.LatencyMs);
    }
}
