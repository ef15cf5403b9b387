using System.Text.Json;
using BitcoinAutoTrading.Core.Observability;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Core.Risk;

/// <summary>Stores a risk event (SPEC §5.2: every refusal and every exit leaves one), counts it and logs it.</summary>
public sealed partial class RiskEventRecorder(
    IRiskEventRepository repository, TimeProvider timeProvider, ILogger<RiskEventRecorder> logger)
{
    public async Task<long> RecordAsync(
        RiskEventType type,
        decimal? triggerValue,
        decimal? thresholdValue,
        string actionTaken,
        long? signalId = null,
        object? details = null,
        CancellationToken cancellationToken = default)
    {
        var id = await repository.InsertAsync(new NewRiskEvent
        {
            Type = type,
            SignalId = signalId,
            TriggerValue = triggerValue,
            ThresholdValue = thresholdValue,
            ActionTaken = actionTaken,
            DetailsJson = details is null ? null : JsonSerializer.Serialize(details),
            CreatedAt = timeProvider.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);
        BatTelemetry.RiskEvents.Add(1, new KeyValuePair<string, object?>("type", type.ToWire()));
        LogRiskEvent(type.ToWire(), triggerValue, thresholdValue, actionTaken);
        return id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Risk event {Type}: trigger {Trigger}, threshold {Threshold}; {Action}")]
    private partial void LogRiskEvent(string type, decimal? trigger, decimal? threshold, string action);
}
