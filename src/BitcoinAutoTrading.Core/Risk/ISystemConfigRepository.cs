namespace BitcoinAutoTrading.Core.Risk;

/// <summary>Runtime-tunable settings (SPEC §5.1). Values are JSON; validation against the allowed ranges is the caller's.</summary>
public interface ISystemConfigRepository
{
    /// <summary>Every stored setting, ordered by key.</summary>
    Task<IReadOnlyList<ConfigEntry>> GetAllAsync(CancellationToken cancellationToken = default);

    Task<ConfigEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces one setting and returns the stored entry.</summary>
    Task<ConfigEntry> SetAsync(
        string key, string valueJson, string? updatedBy, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces several settings atomically: either all are stored or none.</summary>
    Task<IReadOnlyList<ConfigEntry>> SetManyAsync(
        IReadOnlyDictionary<string, string> valuesJson, string? updatedBy, CancellationToken cancellationToken = default);
}
