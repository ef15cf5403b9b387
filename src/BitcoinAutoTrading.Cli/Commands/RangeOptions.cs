using System.CommandLine;
using System.Globalization;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary>--from / --to / --market, shared by import, backtest and sweep. Dates without an offset are UTC.</summary>
internal sealed partial class RangeOptions
{
    public Option<string> From { get; } = new("--from") { Description = "Start (inclusive), ISO 8601: e.g. 2026-01-01 or 2026-01-01T09:00Z; UTC unless an offset is given.", Required = true };

    public Option<string> To { get; } = new("--to") { Description = "End (exclusive), same format as --from.", Required = true };

    public Option<string?> Market { get; } = new("--market") { Description = "Market (default: Trading__Market, else KRW-BTC)." };

    public void AddTo(Command command)
    {
        command.Add(From);
        command.Add(To);
        command.Add(Market);
    }

    public (DateTimeOffset From, DateTimeOffset To) Range(ParseResult parse)
    {
        var from = ParseInstant("--from", parse.GetRequiredValue(From));
        var to = ParseInstant("--to", parse.GetRequiredValue(To));
        if (to <= from)
        {
            throw new CliException($"--to ({to:o}) must be after --from ({from:o}).", 2);
        }
        return (from, to);
    }

    public string MarketOf(ParseResult parse, Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        parse.GetValue(Market) ?? configuration["Trading:Market"] ?? "KRW-BTC";

    /// <summary>
    /// ISO 8601 only (a date, or a date and time with an optional offset): the invariant culture would read 01/03/2026
    /// as 3 January, while a Korean or European trader means 1 March — an ambiguous date is refused, not guessed.
    /// </summary>
    public static DateTimeOffset ParseInstant(string flag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsoInstant().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }
        throw new CliException($"{flag}: '{value}' is not a date or time (use e.g. 2026-01-31 or 2026-01-31T12:00Z).", 2);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial System.Text.RegularExpressions.Regex IsoInstant();
}
