namespace BitcoinAutoTrading.Core.Risk;

/// <summary>Why one setting of a change was refused; <see cref="Field"/> is the snake_case key.</summary>
public sealed record RiskSettingError(string Field, string Error);
