using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>The stored minute bars and their rollups: latest, history at a resolution and the window summary (SPEC §7, §16).</summary>
public sealed class MarketFunctions(
    IMarketDataRepository marketData, IOptions<TradingOptions> trading, TimeProvider timeProvider, ILogger<MarketFunctions> logger)
{
    private readonly TradingOptions _market = trading.Value;

    public const int MinHours = 1;
    public const int MaxHours = 744;
    public const int DefaultHours = 24;
    public const int MinLimit = 1;
    public const int MaxLimit = 1000;
    public const int DefaultLimit = 100;
    public const string DefaultResolution = "1m";

    [Function("GetMarketLatest")]
    public Task<IActionResult> Latest(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "market/latest")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var latest = await marketData.GetLatestAsync(_market.Market, ct).ConfigureAwait(false);
            return latest is null
                ? ApiProblems.NotFound(request, $"No market data is stored yet for {_market.Market}.")
                : new OkObjectResult(MarketMinuteResponse.From(latest));
        });

    [Function("GetMarketHistory")]
    public Task<IActionResult> History(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "market/history")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var hours = query.Int("hours", MinHours, MaxHours, DefaultHours);
            var limit = query.Int("limit", MinLimit, MaxLimit, DefaultLimit);
            var resolutionName = query.Choice("resolution", BarResolutions.WireNames, DefaultResolution);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var since = timeProvider.GetUtcNow().AddHours(-hours);
            _ = BarResolutions.TryParse(resolutionName, out var resolution);
            IReadOnlyList<MarketBarResponse> items = BarResolutions.IsRollup(resolution)
                ? (await marketData.GetBarsAsync(_market.Market, resolution, since, limit, ct).ConfigureAwait(false))
                    .Select(MarketBarResponse.From).ToList()
                : (await marketData.GetHistoryAsync(_market.Market, since, limit, ct).ConfigureAwait(false))
                    .Select(MarketBarResponse.From).ToList();
            return new OkObjectResult(new MarketHistoryResponse(_market.Market, resolutionName, hours, limit, items.Count, items));
        });

    [Function("GetMarketStats")]
    public Task<IActionResult> Stats(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "market/stats")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var hours = query.Int("hours", MinHours, MaxHours, DefaultHours);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var since = timeProvider.GetUtcNow().AddHours(-hours);
            var stats = await marketData.GetStatsAsync(_market.Market, since, ct).ConfigureAwait(false);
            return stats is null
                ? ApiProblems.NotFound(request, $"No market data is stored for {_market.Market} in the last {hours} h.")
                : new OkObjectResult(MarketStatsResponse.Create(stats, hours));
        });
}
