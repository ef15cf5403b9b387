using BitcoinAutoTrading.Functions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Health;

/// <summary>Readiness for the operator (SPEC §7): every dependency's state; 503 when the system cannot trade safely.</summary>
public sealed class DetailedHealthFunction(DetailedHealthChecker checker, ILogger<DetailedHealthFunction> logger)
{
    [Function("HealthDetailed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health/detailed")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var report = await checker.CheckAsync(ct).ConfigureAwait(false);
            return new ObjectResult(report)
            {
                StatusCode = report.Status == HealthStatus.Unhealthy
                    ? StatusCodes.Status503ServiceUnavailable
                    : StatusCodes.Status200OK,
            };
        });
}
