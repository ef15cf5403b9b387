using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>Parses Upbit's <c>Remaining-Req: group=default; min=1800; sec=29</c> (<c>min</c> is optional and deprecated).</summary>
internal static class RemainingReqHeader
{
    public const string Name = "Remaining-Req";

    public static bool TryParse(string? value, DateTimeOffset observedAt, out RemainingRequests remaining)
    {
        remaining = null!;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }
        string? group = null;
        int? perMinute = null;
        int? perSecond = null;
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }
            var key = part[..separator].Trim();
            var text = part[(separator + 1)..].Trim();
            switch (key)
            {
                case "group":
                    group = text;
                    break;
                case "min" when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var min):
                    perMinute = min;
                    break;
                case "sec" when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sec):
                    perSecond = sec;
                    break;
            }
        }
        if (string.IsNullOrEmpty(group) || perSecond is null)
        {
            return false;
        }
        remaining = new RemainingRequests(group, perMinute, perSecond.Value, observedAt);
        return true;
    }
}
