using BitcoinAutoTrading.Core.Exchange;
using Microsoft.Extensions.Configuration;

namespace BitcoinAutoTrading.Infrastructure.Exchange;

/// <summary>Reads <c>Trading:Mode</c> when services are registered, because it decides which exchange is wired in.</summary>
public static class TradingModeSetting
{
    public const string Key = "Trading:Mode";

    public static TradingMode Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return TradingMode.Paper;
        }
        if (Enum.TryParse<TradingMode>(value.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(value, out _))
        {
            return mode;
        }
        throw new InvalidOperationException($"{Key} (app setting Trading__Mode) is '{value}'; use Paper or Live.");
    }
}
