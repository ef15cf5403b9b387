using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Risk;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// Wraps every API handler: an exchange outage becomes 503 and anything unexpected a generic 500 problem, so no stack
/// trace or exception text ever reaches a client. The exception itself is logged.
/// </summary>
public static partial class ApiGuard
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, ILogger logger, Func<CancellationToken, Task<IActionResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        var cancellationToken = request.HttpContext.RequestAborted;
        // A request is one run: the settings it reads are one snapshot however many components ask (SPEC §5.1).
        using var settingsRun = RiskSettingsRun.Begin();
        try
        {
            return await handler(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away; nobody reads this answer.
            throw;
        }
        catch (ExchangeUnavailableException ex)
        {
            LogExchangeUnavailable(logger, ex, request.Path.Value);
            var retryAfter = ex.RetryAfter is { } wait ? (int?)Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : null;
            return ApiProblems.Unavailable(request, "The exchange is not reachable right now.", retryAfter);
        }
#pragma warning disable CA1031 // The API's last line of defence: any failure must become a problem response.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnexpected(logger, ex, request.Path.Value);
            return ApiProblems.ServerError(request);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchange unavailable while serving {Path}")]
    private static partial void LogExchangeUnavailable(ILogger logger, Exception exception, string? path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error while serving {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string? path);
}
