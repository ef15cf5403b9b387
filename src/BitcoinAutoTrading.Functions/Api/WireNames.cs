using System.Text;

namespace BitcoinAutoTrading.Functions.Api;

public enum WireCase
{
    /// <summary>BUY, PARTIALLY_EXECUTED, KILL_SWITCH: how the schema stores signal types, statuses and event types.</summary>
    UpperSnake = 1,

    /// <summary>stop_loss, gemini, succeeded: how the schema stores reasons, providers and job outcomes.</summary>
    LowerSnake = 2,
}

/// <summary>Domain enums as the API shows them: the same names the database stores, never the enum's numbers.</summary>
public static class WireNames
{
    public static string ToWire<TEnum>(this TEnum value, WireCase wireCase)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }
            builder.Append(name[i]);
        }
        var snake = builder.ToString();
        return wireCase == WireCase.UpperSnake ? snake.ToUpperInvariant() : snake.ToLowerInvariant();
    }

    public static IReadOnlyList<string> All<TEnum>(WireCase wireCase)
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => v.ToWire(wireCase)).ToList();

    /// <summary>Accepts either case of the snake name; rejects numbers and anything else.</summary>
    public static bool TryParse<TEnum>(string raw, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToWire(WireCase.UpperSnake), raw, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
