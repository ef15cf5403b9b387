using System.Diagnostics;
using BitcoinAutoTrading.Infrastructure.Observability;
using OpenTelemetry;

namespace BitcoinAutoTrading.Functions.Observability;

/// <summary>Redacts secrets from span names and string attributes before any exporter sees the span (R7).</summary>
public sealed class SecretRedactingActivityProcessor(SecretRedactor redactor) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.DisplayName = redactor.Redact(data.DisplayName);
        foreach (var tag in data.TagObjects.ToList())
        {
            if (tag.Value is string text)
            {
                var redacted = redactor.Redact(text);
                if (!ReferenceEquals(redacted, text) && redacted != text)
                {
                    data.SetTag(tag.Key, redacted);
                }
            }
        }
        if (data.StatusDescription is { } description)
        {
            data.SetStatus(data.Status, redactor.Redact(description));
        }
    }
}
