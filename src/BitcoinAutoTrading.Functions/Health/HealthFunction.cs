using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitcoinAutoTrading.Functions.Health;

public sealed record HealthResponse(string Status);

/// <summary>Liveness for load balancers and uptime checks: answers without touching any dependency.</summary>
public sealed class HealthFunction
{
    [Function("Health")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        new OkObjectResult(new HealthResponse("healthy"));
}
