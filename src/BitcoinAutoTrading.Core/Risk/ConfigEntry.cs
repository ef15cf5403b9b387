namespace BitcoinAutoTrading.Core.Risk;

/// <summary>One runtime setting (<c>system_config</c>); the value is JSON text so each setting keeps its own type.</summary>
public sealed record ConfigEntry(string Key, string ValueJson, DateTimeOffset UpdatedAt, string? UpdatedBy);
