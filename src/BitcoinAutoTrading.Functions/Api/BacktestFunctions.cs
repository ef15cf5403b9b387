using BitcoinAutoTrading.Core.Backtesting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// Backtests stored by <c>bat backtest</c> (issue 13). <c>backtests/{id}</c> has two segments and no other route starts
/// with <c>backtests/</c>, so whatever order the host matches routes in, it cannot shadow one.
/// </summary>
public sealed class BacktestFunctions(IBacktestRunRepository runs, ILogger<BacktestFunctions> logger)
{
    public const int MinLimit = 1;
    public const int MaxLimit = 100;
    public const int DefaultLimit = 20;

    [Function("ListBacktests")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "backtests")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var limit = query.Int("limit", MinLimit, MaxLimit, DefaultLimit);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var page = await runs.ListAsync(limit, ct).ConfigureAwait(false);
            return new OkObjectResult(new BacktestListResponse(limit, page.Select(BacktestSummaryResponse.Of).ToList()));
        });

    [Function("GetBacktest")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "backtests/{id}")] HttpRequest request, string id) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var runId = query.RouteId("id", id);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var run = await runs.GetAsync(runId, ct).ConfigureAwait(false);
            return run is null
                ? ApiProblems.NotFound(request, $"There is no backtest {runId}.")
                : new OkObjectResult(BacktestResponse.Of(run));
        });
}
