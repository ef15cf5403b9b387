using BitcoinAutoTrading.Core.Signals;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>Stored signals, one signal, and how they fared (SPEC §7, §4.6).</summary>
public sealed class SignalFunctions(ISignalRepository signals, TimeProvider timeProvider, ILogger<SignalFunctions> logger)
{
    public const int MinLimit = 1;
    public const int MaxLimit = 100;
    public const int DefaultLimit = 20;
    public const int MinDays = 1;
    public const int MaxDays = 365;
    public const int DefaultDays = 30;

    [Function("ListSignals")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "signals")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var limit = query.Int("limit", MinLimit, MaxLimit, DefaultLimit);
            var type = query.OptionalEnum<SignalType>("type", WireCase.UpperSnake);
            var before = query.OptionalId("before");
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var page = await signals.ListAsync(limit, type, before, ct).ConfigureAwait(false);
            return new OkObjectResult(new SignalListResponse(
                limit, type?.ToWire(WireCase.UpperSnake), page.Count == limit ? page[^1].Id : null,
                page.Select(SignalResponse.From).ToList()));
        });

    [Function("GetSignal")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "signals/" + RouteIds.SignalId)] HttpRequest request, string id) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var signalId = query.RouteId("id", id);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var signal = await signals.GetByIdAsync(signalId, ct).ConfigureAwait(false);
            return signal is null
                ? ApiProblems.NotFound(request, $"There is no signal {signalId}.")
                : new OkObjectResult(SignalResponse.From(signal));
        });

    [Function("GetSignalPerformance")]
    public Task<IActionResult> Performance(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "signals/performance")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var days = query.Int("days", MinDays, MaxDays, DefaultDays);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var since = timeProvider.GetUtcNow().AddDays(-days);
            var performance = await signals.GetPerformanceAsync(since, ct).ConfigureAwait(false);
            var comparison = await signals.GetShadowComparisonAsync(since, ct).ConfigureAwait(false);
            return new OkObjectResult(new SignalPerformanceResponse(days, since,
                performance.Select(SignalTypePerformanceResponse.From).ToList(),
                comparison.Select(SourcePerformanceResponse.From).ToList()));
        });
}
