using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace BitcoinAutoTrading.Cli;

/// <summary>
/// The app's own setting names, read in the app's order of precedence: <c>local.settings.json</c> (its <c>Values</c>,
/// where <c>__</c> separates sections, and its <c>ConnectionStrings</c>) when present, then the environment, then flags.
/// </summary>
internal static class CliSettings
{
    /// <summary>Where the Functions project keeps its local settings, relative to the repository root.</summary>
    public const string DefaultLocalSettings = "src/BitcoinAutoTrading.Functions/local.settings.json";

    public static IConfiguration Build(string? settingsPath, string? connection, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        var path = settingsPath ?? FindLocalSettings();
        if (settingsPath is not null && !File.Exists(settingsPath))
        {
            throw new CliException($"--settings: file '{settingsPath}' does not exist.");
        }
        if (path is not null)
        {
            builder.AddInMemoryCollection(ReadLocalSettings(path));
        }
        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddInMemoryCollection(environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value));
        }
        if (!string.IsNullOrWhiteSpace(connection))
        {
            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connection });
        }
        return builder.Build();
    }

    private static string? FindLocalSettings()
    {
        foreach (var candidate in new[] { "local.settings.json", DefaultLocalSettings })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static Dictionary<string, string?> ReadLocalSettings(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var settings) && settings.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = setting.Value.ToString();
            }
        }
        if (document.RootElement.TryGetProperty("ConnectionStrings", out var connections) && connections.ValueKind == JsonValueKind.Object)
        {
            foreach (var connectionString in connections.EnumerateObject())
            {
                values["ConnectionStrings:" + connectionString.Name] = connectionString.Value.ToString();
            }
        }
        return values;
    }
}

/// <summary>A problem the operator can fix (a flag, a setting, an unreachable service): printed without a stack trace.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
