using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

internal static class UpbitJson
{
    /// <summary>Upbit sends balances and order amounts as strings and prices as numbers; read both exactly as decimals.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Invariant, no exponent, no trailing zeros: what Upbit expects in an order body.</summary>
    public static string Format(decimal value) =>
        value.ToString("0.############################", CultureInfo.InvariantCulture);
}
