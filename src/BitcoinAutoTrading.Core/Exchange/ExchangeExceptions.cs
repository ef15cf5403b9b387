namespace BitcoinAutoTrading.Core.Exchange;

/// <summary>The exchange refused the request (4xx): retrying the same request cannot succeed.</summary>
public sealed class ExchangeRejectedException(int statusCode, string errorName, string message)
    : Exception($"Exchange rejected the request ({statusCode} {errorName}): {message}")
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The exchange's error code, e.g. Upbit's <c>insufficient_funds_bid</c>.</summary>
    public string ErrorName { get; } = errorName;
}

/// <summary>
/// The exchange could not be reached or answered with a transient failure (timeout, 5xx, 429, 418).
/// The outcome of a write is unknown: look the order up by identifier before trying again.
/// </summary>
public sealed class ExchangeUnavailableException : Exception
{
    public ExchangeUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public int? StatusCode { get; init; }

    /// <summary>When the exchange said to come back (Retry-After or a 418 block).</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The order would break an exchange rule (minimum value, tick size) and was not sent.</summary>
public sealed class OrderValidationException(string message) : Exception(message);
