using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Infrastructure.Exchange;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>What the trader holds: the recorded position and the exchange's balances (SPEC §7).</summary>
public sealed class AccountFunctions(
    IPositionRepository positions,
    IMarketDataRepository marketData,
    IExchange exchange,
    IConfiguration configuration,
    IOptions<TradingOptions> trading,
    ILogger<AccountFunctions> logger)
{
    private readonly TradingOptions _market = trading.Value;

    [Function("GetPosition")]
    public Task<IActionResult> Position(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "position")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var position = await positions.GetAsync(_market.Market, ct).ConfigureAwait(false);
            var latest = await marketData.GetLatestAsync(_market.Market, ct).ConfigureAwait(false);
            var quantity = position?.Quantity ?? 0m;
            var avgEntry = position?.AvgEntryPrice ?? 0m;
            decimal? value = latest is null ? null : quantity * latest.Close;
            decimal? unrealized = latest is null || quantity == 0 ? null : (latest.Close - avgEntry) * quantity;
            decimal? unrealizedPct = latest is null || quantity == 0 || avgEntry == 0
                ? null
                : Math.Round((latest.Close - avgEntry) / avgEntry * 100m, 4);
            return new OkObjectResult(new PositionResponse(
                _market.Market, quantity, quantity > 0, avgEntry, position?.RealizedPnlKrw ?? 0m, position?.PeakPriceSinceEntry,
                position?.OpenedAt, position?.UpdatedAt, latest?.Close, latest?.Ts, value, unrealized, unrealizedPct));
        });

    [Function("GetBalance")]
    public Task<IActionResult> Balance(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "balance")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            // Both calls go through the exchange cache, so polling this route costs the exchange little.
            var balances = await exchange.GetBalancesAsync(ct).ConfigureAwait(false);
            var ticker = await exchange.GetTickerAsync(_market.Market, ct).ConfigureAwait(false);
            var krw = Find(balances, _market.QuoteCurrency);
            var coin = Find(balances, _market.BaseCurrency);
            var coinValue = coin.Total * ticker.TradePrice;
            return new OkObjectResult(new BalanceResponse(
                TradingModeSetting.Read(configuration).ToString(), _market.Market, krw, coin, ticker.TradePrice, ticker.Timestamp,
                coinValue, krw.Total + coinValue));
        });

    private static CurrencyBalanceResponse Find(IReadOnlyList<Balance> balances, string currency)
    {
        var balance = balances.FirstOrDefault(b => string.Equals(b.Currency, currency, StringComparison.OrdinalIgnoreCase));
        return balance is null
            ? new CurrencyBalanceResponse(currency, 0m, 0m, 0m, 0m)
            : new CurrencyBalanceResponse(currency, balance.Available, balance.Locked, balance.Total, balance.AvgBuyPrice);
    }
}
