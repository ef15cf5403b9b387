namespace BitcoinAutoTrading.Core.Exchange;

/// <summary>
/// Upbit's KRW-market order rules, checked before anything is sent so a bad order fails fast with a clear
/// message instead of costing a request and an exchange error: the 5,000 KRW minimum, the price grid and
/// the shape each order type needs.
/// </summary>
public static class KrwOrderRules
{
    public const decimal MinimumOrderKrw = 5_000m;

    /// <summary>Upbit accepts volumes to 8 decimal places.</summary>
    public const int VolumeDecimals = 8;

    /// <summary>
    /// Returns the request as it should be sent (limit price on the tick grid, volume truncated to 8 places)
    /// or throws <see cref="OrderValidationException"/>. <paramref name="referencePrice"/> is the current price,
    /// needed only to check a market sell's value against the minimum.
    /// </summary>
    public static OrderRequest Normalize(OrderRequest request, decimal? referencePrice = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Identifier))
        {
            throw new OrderValidationException("An order needs a client identifier so a retry can find it instead of placing it twice.");
        }
        if (!request.Market.StartsWith("KRW-", StringComparison.Ordinal))
        {
            throw new OrderValidationException($"Market '{request.Market}' is not a KRW market; only KRW markets are supported.");
        }

        return request.Type switch
        {
            OrderType.Price => NormalizeMarketBuy(request),
            OrderType.Market => NormalizeMarketSell(request, referencePrice),
            OrderType.Limit => NormalizeLimit(request),
            _ => throw new OrderValidationException($"Unknown order type {request.Type}."),
        };
    }

    private static OrderRequest NormalizeMarketBuy(OrderRequest request)
    {
        if (request.Side != OrderSide.Buy)
        {
            throw new OrderValidationException("A 'price' order is a market buy by KRW amount; it cannot sell.");
        }
        if (request.Price is not { } krw || request.Volume is not null)
        {
            throw new OrderValidationException("A market buy names the KRW amount to spend (Price) and no volume.");
        }
        // KRW has no minor unit on Upbit: spend whole won.
        var whole = Math.Floor(krw);
        EnsureMinimum(whole, $"Market buy of {whole:0} KRW");
        return request with { Price = whole };
    }

    private static OrderRequest NormalizeMarketSell(OrderRequest request, decimal? referencePrice)
    {
        if (request.Side != OrderSide.Sell)
        {
            throw new OrderValidationException("A 'market' order is a market sell by volume; buy by KRW amount with a 'price' order.");
        }
        if (request.Volume is not { } volume || request.Price is not null)
        {
            throw new OrderValidationException("A market sell names the volume to sell and no price.");
        }
        var truncated = TruncateVolume(volume);
        if (referencePrice is { } price)
        {
            EnsureMinimum(truncated * price, $"Market sell of {truncated} at about {price} KRW");
        }
        return request with { Volume = truncated };
    }

    private static OrderRequest NormalizeLimit(OrderRequest request)
    {
        if (request.Price is not { } price || request.Volume is not { } volume)
        {
            throw new OrderValidationException("A limit order names both price and volume.");
        }
        if (price <= 0)
        {
            throw new OrderValidationException("A limit price must be positive.");
        }
        var onGrid = request.Side == OrderSide.Buy ? KrwTickSize.RoundDown(price) : KrwTickSize.RoundUp(price);
        var truncated = TruncateVolume(volume);
        EnsureMinimum(onGrid * truncated, $"Limit order of {truncated} at {onGrid} KRW");
        return request with { Price = onGrid, Volume = truncated };
    }

    private static decimal TruncateVolume(decimal volume)
    {
        if (volume <= 0)
        {
            throw new OrderValidationException("An order volume must be positive.");
        }
        var factor = 100_000_000m;
        var truncated = Math.Floor(volume * factor) / factor;
        if (truncated <= 0)
        {
            throw new OrderValidationException($"Volume {volume} is below the exchange's smallest unit (0.00000001).");
        }
        return truncated;
    }

    private static void EnsureMinimum(decimal totalKrw, string what)
    {
        if (totalKrw < MinimumOrderKrw)
        {
            throw new OrderValidationException(
                $"{what} is worth {totalKrw:0.########} KRW, under the exchange minimum of {MinimumOrderKrw:0} KRW.");
        }
    }
}
