using System.Text.RegularExpressions;

namespace BitcoinAutoTrading.Core.Signals.Prompt;

/// <summary>Masks balances and amounts in a prompt before it is logged (seed 3.2). Prices and indicators stay readable.</summary>
public static partial class PromptRedactor
{
    public const string Placeholder = "***";

    public static string Mask(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return SensitiveAmount().Replace(prompt, m => m.Groups["key"].Value + Placeholder);
    }

    [GeneratedRegex(
        @"(?<key>\b(?:qty|quantity|avg_entry|avg_buy_price|krw|krw_available|balance|available|locked|amount|equity|position_value)\s*[=:]\s*)[-+]?\d[\d,_.]*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveAmount();
}
