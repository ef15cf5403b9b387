using BitcoinAutoTrading.Core.Exchange;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Upbit;

/// <summary>Live trading without keys must stop start-up, naming the settings to set (never their values).</summary>
internal sealed class UpbitLiveKeysValidator(TradingMode mode) : IValidateOptions<UpbitOptions>
{
    public ValidateOptionsResult Validate(string? name, UpbitOptions options)
    {
        if (mode != TradingMode.Live)
        {
            return ValidateOptionsResult.Success;
        }
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(options.AccessKey))
        {
            missing.Add("Upbit:AccessKey (app setting Upbit__AccessKey)");
        }
        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            missing.Add("Upbit:SecretKey (app setting Upbit__SecretKey)");
        }
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Trading:Mode is Live but {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not set. " +
                "Set the Upbit API keys, or use Trading:Mode=Paper to trade on paper without keys.");
    }
}
