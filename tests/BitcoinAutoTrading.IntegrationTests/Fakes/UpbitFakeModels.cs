namespace BitcoinAutoTrading.IntegrationTests.Fakes;

/// <summary>The Upbit endpoints the fake serves; faults and request counts are kept per endpoint.</summary>
public enum UpbitEndpoint
{
    Ticker = 1,
    Candles = 2,
    Accounts = 3,
    OrderChance = 4,
    PlaceOrder = 5,
    GetOrder = 6,
    CancelOrder = 7,
}

public enum UpbitFaultKind
{
    /// <summary>Answered normally: lets a schedule interleave good answers between faults.</summary>
    None = 0,

    /// <summary>500 before anything is processed: no order is created.</summary>
    ServerError = 1,

    /// <summary>The request is processed (an order is created), then 503 is returned.</summary>
    ServerErrorAfterProcessing = 2,

    /// <summary>The request is processed, then its answer is lost: a 200 with an empty body that cannot be read.</summary>
    LostResponse = 3,

    /// <summary>The request is processed, then the answer is held back for <see cref="UpbitFault.Delay"/>.</summary>
    SlowResponse = 4,

    /// <summary>429 with <c>Retry-After</c>; nothing is processed.</summary>
    TooManyRequests = 5,

    /// <summary>418 with <c>Retry-After</c>; nothing is processed.</summary>
    Teapot = 6,
}

/// <summary>One scheduled misbehaviour, consumed by the next request to its endpoint.</summary>
public sealed record UpbitFault(UpbitFaultKind Kind, int RetryAfterSeconds = 0, TimeSpan Delay = default)
{
    public static UpbitFault None { get; } = new(UpbitFaultKind.None);

    public static UpbitFault ServerError { get; } = new(UpbitFaultKind.ServerError);

    public static UpbitFault ServerErrorAfterProcessing { get; } = new(UpbitFaultKind.ServerErrorAfterProcessing);

    public static UpbitFault LostResponse { get; } = new(UpbitFaultKind.LostResponse);

    public static UpbitFault Slow(TimeSpan delay) => new(UpbitFaultKind.SlowResponse, Delay: delay);

    public static UpbitFault TooManyRequests(int retryAfterSeconds) => new(UpbitFaultKind.TooManyRequests, retryAfterSeconds);

    public static UpbitFault Teapot(int retryAfterSeconds) => new(UpbitFaultKind.Teapot, retryAfterSeconds);
}

/// <summary>An order as the fake exchange holds it (Upbit's wire vocabulary: bid/ask, wait/done/cancel).</summary>
public sealed record FakeOrder(
    string Uuid,
    string? Identifier,
    string Market,
    string Side,
    string OrdType,
    decimal? Price,
    decimal? Volume,
    string State,
    decimal ExecutedVolume,
    decimal ExecutedFunds,
    decimal PaidFee,
    DateTimeOffset CreatedAt);

/// <summary>One request the fake received; <see cref="At"/> is when it arrived.</summary>
public sealed record FakeRequest(DateTimeOffset At, UpbitEndpoint Endpoint, string Method, string PathAndQuery, int StatusCode);
