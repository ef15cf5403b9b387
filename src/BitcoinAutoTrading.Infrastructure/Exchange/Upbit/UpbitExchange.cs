using BitcoinAutoTrading.Core.Exchange;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>
/// The live exchange. Placing an order is idempotent on its identifier: the exchange is asked first, and after any
/// failure whose outcome is unknown (timeout, lost response, 5xx) the order is looked up before it is ever sent again.
/// </summary>
internal sealed partial class UpbitExchange(
    UpbitQuotationClient quotation,
    UpbitExchangeClient exchange,
    IOptions<UpbitOptions> options,
    TimeProvider timeProvider,
    ILogger<UpbitExchange> logger) : IExchange
{
    public Task<Ticker> GetTickerAsync(string market, CancellationToken cancellationToken = default) =>
        quotation.GetTickerAsync(market, cancellationToken);

    public Task<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int count, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        quotation.GetCandlesAsync(market, interval, count, to, cancellationToken);

    public async Task<IReadOnlyList<Balance>> GetBalancesAsync(CancellationToken cancellationToken = default)
    {
        var accounts = await exchange.GetAccountsAsync(cancellationToken).ConfigureAwait(false);
        return accounts.Select(UpbitWireMapping.ToDomain).ToList();
    }

    public async Task<OrderChance> GetOrderChanceAsync(string market, CancellationToken cancellationToken = default)
    {
        var chance = await exchange.GetChanceAsync(market, cancellationToken).ConfigureAwait(false);
        var minimum = Math.Max(chance.Market?.Bid?.MinTotal ?? 0m, chance.Market?.Ask?.MinTotal ?? 0m);
        return new OrderChance(market, chance.BidFee, chance.AskFee, minimum > 0 ? minimum : KrwOrderRules.MinimumOrderKrw);
    }

    public async Task<ExchangeOrder> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        decimal? referencePrice = request.Type == OrderType.Market
            ? (await quotation.GetTickerAsync(request.Market, cancellationToken).ConfigureAwait(false)).TradePrice
            : null;
        var order = KrwOrderRules.Normalize(request, referencePrice);

        // An earlier attempt (this process or a previous run of the activity) may already have placed it. This is the
        // one lookup before the POST: callers rely on it and do not look up again.
        if (await GetOrderByIdentifierAsync(order.Identifier, cancellationToken).ConfigureAwait(false) is { } known)
        {
            LogAlreadyPlaced(logger, order.Identifier, known.Uuid);
            return known;
        }

        var settings = options.Value;
        var fields = ToWire(order);
        ExchangeUnavailableException? lastFailure = null;
        for (var attempt = 1; attempt <= settings.MaxOrderSubmitAttempts; attempt++)
        {
            try
            {
                var placed = await exchange.PostOrderAsync(fields, cancellationToken).ConfigureAwait(false);
                return Map(placed);
            }
            catch (ExchangeRejectedException ex) when (MentionsIdentifier(ex))
            {
                // Upbit refuses a reused identifier: the order exists, so return it rather than fail.
                if (await GetOrderByIdentifierAsync(order.Identifier, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }
                throw;
            }
            catch (ExchangeUnavailableException ex)
            {
                lastFailure = ex;
                LogOutcomeUnknown(logger, order.Identifier, attempt, ex.StatusCode);
                // If this lookup itself fails, the outcome stays unknown: let it propagate so the caller retries later,
                // which starts again with a lookup.
                if (await GetOrderByIdentifierAsync(order.Identifier, cancellationToken).ConfigureAwait(false) is { } accepted)
                {
                    return accepted;
                }
                if (ex.RetryAfter is { } wait && wait > TimeSpan.Zero)
                {
                    if (wait > settings.MaxRetryAfter)
                    {
                        throw;
                    }
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        throw new ExchangeUnavailableException(
            $"Order {order.Identifier} was not placed after {settings.MaxOrderSubmitAttempts} attempts; " +
            "the exchange confirmed it does not have it, so retrying later is safe.", lastFailure);
    }

    public async Task<ExchangeOrder?> GetOrderByUuidAsync(string uuid, CancellationToken cancellationToken = default)
    {
        var dto = await exchange.GetOrderAsync("uuid", uuid, cancellationToken).ConfigureAwait(false);
        return dto is null ? null : Map(dto);
    }

    public async Task<ExchangeOrder?> GetOrderByIdentifierAsync(string identifier, CancellationToken cancellationToken = default)
    {
        var dto = await exchange.GetOrderAsync("identifier", identifier, cancellationToken).ConfigureAwait(false);
        return dto is null ? null : Map(dto);
    }

    public async Task<ExchangeOrder> CancelOrderAsync(string uuid, CancellationToken cancellationToken = default)
    {
        try
        {
            var dto = await exchange.CancelOrderAsync(uuid, cancellationToken).ConfigureAwait(false);
            return Map(dto);
        }
        catch (ExchangeRejectedException)
        {
            // Upbit refuses to cancel an order that is already done or cancelled; report it as it is.
            if (await GetOrderByUuidAsync(uuid, cancellationToken).ConfigureAwait(false) is { IsFinal: true } final)
            {
                return final;
            }
            throw;
        }
    }

    /// <summary>Maps an order at the edge; an ending we do not know is final with what executed, and said so in the log.</summary>
    private ExchangeOrder Map(UpbitOrderDto dto)
    {
        var order = UpbitWireMapping.ToDomain(dto);
        if (order.State == ExchangeOrderState.Unrecognized)
        {
            LogUnrecognizedState(logger, order.Uuid, dto.State, order.ExecutedVolume);
        }
        return order;
    }

    /// <summary>Body fields in the order Upbit documents them; the signature hashes them in this order.</summary>
    private static List<KeyValuePair<string, string>> ToWire(OrderRequest order)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("market", order.Market),
            new("side", UpbitWireMapping.ToWire(order.Side)),
        };
        if (order.Volume is { } volume)
        {
            fields.Add(new("volume", UpbitJson.Format(volume)));
        }
        if (order.Price is { } price)
        {
            fields.Add(new("price", UpbitJson.Format(price)));
        }
        fields.Add(new("ord_type", UpbitWireMapping.ToWire(order.Type)));
        fields.Add(new("identifier", order.Identifier));
        return fields;
    }

    private static bool MentionsIdentifier(ExchangeRejectedException ex) =>
        ex.StatusCode == 400 && (ex.ErrorName.Contains("identifier", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("identifier", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Identifier} is already at the exchange as {Uuid}; not placing it again")]
    private static partial void LogAlreadyPlaced(ILogger logger, string identifier, string uuid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upbit order {Uuid} ended in state '{State}', which we do not know; treated as final with {ExecutedVolume} executed")]
    private static partial void LogUnrecognizedState(ILogger logger, string uuid, string state, decimal executedVolume);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Identifier} attempt {Attempt}: outcome unknown (status {StatusCode}); looking it up before any retry")]
    private static partial void LogOutcomeUnknown(ILogger logger, string identifier, int attempt, int? statusCode);
}
