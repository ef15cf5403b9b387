using System.Diagnostics;
using BitcoinAutoTrading.Core.Observability;

namespace BitcoinAutoTrading.Infrastructure.Observability;

/// <summary>
/// One span per attempt of an exchange or AI HTTP call (SPEC §9), with the endpoint path (never the query or headers,
/// which can carry signatures) and the status; exchange calls also feed <c>bat.exchange.request.duration</c>.
/// </summary>
public sealed class OutboundCallTelemetryHandler(string system, bool recordExchangeDuration) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = request.RequestUri?.AbsolutePath ?? "";
        using var activity = BatTelemetry.ActivitySource.StartActivity($"{system} {request.Method.Method} {endpoint}", ActivityKind.Client);
        activity?.SetTag("peer.system", system);
        activity?.SetTag("endpoint", endpoint);
        var started = Stopwatch.GetTimestamp();
        var status = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!response.IsSuccessStatusCode)
            {
                activity?.SetStatus(ActivityStatusCode.Error, status);
            }
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            status = ex is OperationCanceledException ? "timeout" : "error";
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            activity?.SetTag("status", status);
            if (recordExchangeDuration)
            {
                BatTelemetry.ExchangeRequestDuration.Record(
                    Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("endpoint", endpoint),
                    new KeyValuePair<string, object?>("status", status));
            }
        }
    }
}
