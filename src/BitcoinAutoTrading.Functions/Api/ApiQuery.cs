using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// Reads and validates query parameters and route ids for every API route, collecting one message per bad field so a
/// single 400 names them all. Unknown parameters are ignored (as HTTP APIs usually do); a known one given twice, empty,
/// of the wrong type or out of range is an error.
/// </summary>
internal sealed class ApiQuery(HttpRequest request)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void AddError(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }
        messages.Add(message);
    }

    /// <summary>The 400 naming every bad field collected so far.</summary>
    public IActionResult Problem() => ApiProblems.Validation(request, _errors);

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="defaultValue"/> when absent.</summary>
    public int Int(string name, int min, int max, int defaultValue)
    {
        if (!TryGetSingle(name, out var raw) || raw is null)
        {
            return defaultValue;
        }
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            AddError(name, $"'{name}' must be an integer from {min} to {max}.");
            return defaultValue;
        }
        return value;
    }

    /// <summary>A positive id used as a paging cursor, or null when absent.</summary>
    public long? OptionalId(string name)
    {
        if (!TryGetSingle(name, out var raw) || raw is null)
        {
            return null;
        }
        if (TryParseId(raw, out var id))
        {
            return id;
        }
        AddError(name, $"'{name}' must be a positive integer id.");
        return null;
    }

    /// <summary>One of the enum's wire names (case-insensitive), or null when absent.</summary>
    public TEnum? OptionalEnum<TEnum>(string name, WireCase wireCase)
        where TEnum : struct, Enum
    {
        if (!TryGetSingle(name, out var raw) || raw is null)
        {
            return null;
        }
        if (WireNames.TryParse<TEnum>(raw, out var value))
        {
            return value;
        }
        AddError(name, $"'{name}' must be one of {string.Join(", ", WireNames.All<TEnum>(wireCase))}.");
        return null;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive, returned as listed), or <paramref name="defaultValue"/> when absent.</summary>
    public string Choice(string name, IReadOnlyList<string> allowed, string defaultValue)
    {
        if (!TryGetSingle(name, out var raw) || raw is null)
        {
            return defaultValue;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, raw, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            AddError(name, $"'{name}' must be one of {string.Join(", ", allowed)}.");
            return defaultValue;
        }
        return match;
    }

    /// <summary>A route id: a positive 64-bit integer.</summary>
    public long RouteId(string name, string? raw)
    {
        if (TryParseId(raw, out var id))
        {
            return id;
        }
        AddError(name, $"'{name}' must be a positive integer id.");
        return 0;
    }

    private static bool TryParseId(string? raw, out long id) =>
        long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    /// <summary>
    /// False when the parameter is absent. A repeated or empty parameter is recorded as an error here and yields a null
    /// value, so the caller adds no second message for it.
    /// </summary>
    private bool TryGetSingle(string name, out string? value)
    {
        value = null;
        if (!request.Query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }
        if (values.Count > 1)
        {
            AddError(name, $"'{name}' must be given at most once.");
            return true;
        }
        value = values[0];
        if (string.IsNullOrEmpty(value))
        {
            AddError(name, $"'{name}' must not be empty.");
            value = null;
        }
        return true;
    }
}
