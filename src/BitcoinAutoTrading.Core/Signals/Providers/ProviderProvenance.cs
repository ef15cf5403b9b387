namespace BitcoinAutoTrading.Core.Signals.Providers;

/// <summary>
/// What a model answered, as needed to replay the signal: the response schema version the request carried, the model's
/// own version and response id, and the raw response body (size-capped by the caller before storing).
/// </summary>
public sealed record ProviderProvenance(int? ResponseSchemaVersion, string? ModelVersion, string? ResponseId, string? RawResponse);
