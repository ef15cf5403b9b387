using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary>
/// The app's timer schedules (six-field NCRONTAB app settings such as <c>SignalSchedule</c>) as the intervals the
/// backtester replays, so a backtest runs the jobs as often as the deployed app does. Only the regular forms a replay
/// can reproduce are accepted (every N minutes or hours dividing the hour or day, a daily time); anything else is an
/// error naming the setting rather than a silent default.
/// </summary>
internal static class ScheduleSettings
{
    /// <summary><c>0 */N * * * *</c> (N dividing 60) or <c>0 0 */N * * *</c> (N dividing 24); null when the setting is absent.</summary>
    public static TimeSpan? Interval(IConfiguration configuration, string name)
    {
        if (configuration[name] is not { Length: > 0 } value)
        {
            return null;
        }
        var f = Fields(name, value);
        if (f[0] == "0" && f[2] == "*" && Every(f[1], 60) is { } minutes)
        {
            return TimeSpan.FromMinutes(minutes);
        }
        if (f[0] == "0" && f[1] == "0" && Every(f[2], 24) is { } hours)
        {
            return TimeSpan.FromHours(hours);
        }
        throw Unsupported(name, value, "every N minutes (0 */N * * * *) or hours (0 0 */N * * *)");
    }

    /// <summary><c>0 M H * * *</c>: the UTC time of day it runs; null when the setting is absent.</summary>
    public static TimeSpan? DailyAt(IConfiguration configuration, string name)
    {
        if (configuration[name] is not { Length: > 0 } value)
        {
            return null;
        }
        var f = Fields(name, value);
        if (f[0] == "0"
            && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minute) && minute < 60
            && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour < 24)
        {
            return new TimeSpan(hour, minute, 0);
        }
        throw Unsupported(name, value, "once a day (0 M H * * *)");
    }

    private static string[] Fields(string name, string value)
    {
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields.Length == 6 && fields[3..].All(f => f == "*")
            ? fields
            : throw Unsupported(name, value, "six fields ending in * * *");
    }

    /// <summary>"*" (every unit) or "*/N" with N dividing the next unit, so the runs fall on the same instants every cycle.</summary>
    private static int? Every(string field, int cycle)
    {
        if (field == "*")
        {
            return 1;
        }
        return field.StartsWith("*/", StringComparison.Ordinal)
            && int.TryParse(field[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && cycle % n == 0
            ? n
            : null;
    }

    private static CliException Unsupported(string name, string value, string expected) =>
        new($"{name} '{value}' cannot be replayed: the backtest reproduces {expected}.", 2);
}
