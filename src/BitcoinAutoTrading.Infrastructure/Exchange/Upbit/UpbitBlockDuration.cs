using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>How long a 418 (or 429) says to stay away: Retry-After (seconds or a date) first, else a duration named in the body.</summary>
internal static partial class UpbitBlockDuration
{
    public static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (retryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>Finds e.g. "blocked for 300 seconds", "60초", "120s" in an error body.</summary>
    public static TimeSpan? FromBody(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }
        var match = SecondsPattern().Match(body);
        return match.Success && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    [GeneratedRegex(@"(?<n>\d{1,6})\s*(seconds|second|secs|sec|s\b|초)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecondsPattern();
}
