using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>
/// Domain values in their stored form and back: the strings the schema's CHECK constraints allow, and UTC instants.
/// Kept in one place so a rename in Core cannot silently change what is written.
/// </summary>
internal static class DbValues
{
    /// <summary>Npgsql reads timestamptz as a UTC <see cref="DateTime"/>; the domain speaks <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset ToOffset(DateTime utc) => new(utc.Ticks, TimeSpan.Zero);

    public static DateTimeOffset? ToOffset(DateTime? utc) => utc is { } value ? ToOffset(value) : null;

    /// <summary>Npgsql writes only zero-offset values to timestamptz, so any offset is normalised first.</summary>
    public static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();

    public static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    public static string ToDb(OrderSide side) => side switch
    {
        OrderSide.Buy => "BUY",
        OrderSide.Sell => "SELL",
        _ => throw Unknown(side),
    };

    public static OrderSide ParseOrderSide(string value) => value switch
    {
        "BUY" => OrderSide.Buy,
        "SELL" => OrderSide.Sell,
        _ => throw Unexpected("orders.side", value),
    };

    public static string ToDb(OrderType type) => type switch
    {
        OrderType.Price => "price",
        OrderType.Market => "market",
        OrderType.Limit => "limit",
        _ => throw Unknown(type),
    };

    public static OrderType ParseOrderType(string value) => value switch
    {
        "price" => OrderType.Price,
        "market" => OrderType.Market,
        "limit" => OrderType.Limit,
        _ => throw Unexpected("orders.ord_type", value),
    };

    public static OrderStatus ParseOrderStatus(string value) =>
        OrderStatusExtensions.TryParseDbValue(value, out var status) ? status : throw Unexpected("orders.status", value);

    public static string ToDb(OrderReason reason) => reason switch
    {
        OrderReason.Signal => "signal",
        OrderReason.StopLoss => "stop_loss",
        OrderReason.TakeProfit => "take_profit",
        OrderReason.TrailingStop => "trailing_stop",
        OrderReason.Manual => "manual",
        _ => throw Unknown(reason),
    };

    public static OrderReason ParseOrderReason(string value) => value switch
    {
        "signal" => OrderReason.Signal,
        "stop_loss" => OrderReason.StopLoss,
        "take_profit" => OrderReason.TakeProfit,
        "trailing_stop" => OrderReason.TrailingStop,
        "manual" => OrderReason.Manual,
        _ => throw Unexpected("orders.reason", value),
    };

    public static string ToDb(SignalType type) => type switch
    {
        SignalType.Buy => "BUY",
        SignalType.Sell => "SELL",
        SignalType.Hold => "HOLD",
        _ => throw Unknown(type),
    };

    public static SignalType ParseSignalType(string value) => value switch
    {
        "BUY" => SignalType.Buy,
        "SELL" => SignalType.Sell,
        "HOLD" => SignalType.Hold,
        _ => throw Unexpected("trading_signals.signal_type", value),
    };

    public static string ToDb(SignalProviderKind provider) => provider switch
    {
        SignalProviderKind.Gemini => "gemini",
        SignalProviderKind.Technical => "technical",
        _ => throw Unknown(provider),
    };

    public static SignalProviderKind ParseSignalProvider(string value) => value switch
    {
        "gemini" => SignalProviderKind.Gemini,
        "technical" => SignalProviderKind.Technical,
        _ => throw Unexpected("trading_signals.provider", value),
    };

    public static string ToDb(RiskEventType type) => type switch
    {
        RiskEventType.StopLoss => "STOP_LOSS",
        RiskEventType.TakeProfit => "TAKE_PROFIT",
        RiskEventType.TrailingStop => "TRAILING_STOP",
        RiskEventType.DailyLimit => "DAILY_LIMIT",
        RiskEventType.PositionLimit => "POSITION_LIMIT",
        RiskEventType.VolatilityHalt => "VOLATILITY_HALT",
        RiskEventType.LowConfidence => "LOW_CONFIDENCE",
        RiskEventType.Cooldown => "COOLDOWN",
        RiskEventType.KillSwitch => "KILL_SWITCH",
        RiskEventType.SystemError => "SYSTEM_ERROR",
        _ => throw Unknown(type),
    };

    public static RiskEventType ParseRiskEventType(string value) => value switch
    {
        "STOP_LOSS" => RiskEventType.StopLoss,
        "TAKE_PROFIT" => RiskEventType.TakeProfit,
        "TRAILING_STOP" => RiskEventType.TrailingStop,
        "DAILY_LIMIT" => RiskEventType.DailyLimit,
        "POSITION_LIMIT" => RiskEventType.PositionLimit,
        "VOLATILITY_HALT" => RiskEventType.VolatilityHalt,
        "LOW_CONFIDENCE" => RiskEventType.LowConfidence,
        "COOLDOWN" => RiskEventType.Cooldown,
        "KILL_SWITCH" => RiskEventType.KillSwitch,
        "SYSTEM_ERROR" => RiskEventType.SystemError,
        _ => throw Unexpected("risk_events.event_type", value),
    };

    public static string ToDb(JobOutcome outcome) => outcome switch
    {
        JobOutcome.Running => "running",
        JobOutcome.Succeeded => "succeeded",
        JobOutcome.Failed => "failed",
        _ => throw Unknown(outcome),
    };

    public static JobOutcome ParseJobOutcome(string value) => value switch
    {
        "running" => JobOutcome.Running,
        "succeeded" => JobOutcome.Succeeded,
        "failed" => JobOutcome.Failed,
        _ => throw Unexpected("job_runs.outcome", value),
    };

    private static ArgumentOutOfRangeException Unknown<T>(T value) where T : struct, Enum =>
        new(typeof(T).Name, value, $"Unknown {typeof(T).Name} value.");

    private static InvalidOperationException Unexpected(string column, string value) =>
        new($"Unexpected value '{value}' in {column}; the schema and the code disagree.");
}
