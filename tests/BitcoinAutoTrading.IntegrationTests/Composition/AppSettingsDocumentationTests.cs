using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.Functions.Observability;
using BitcoinAutoTrading.Infrastructure.Exchange;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>
/// Every app setting the code reads is in README.md's configuration table and in local.settings.sample.json. The
/// settings come from the code itself, so a setting added anywhere shows up here: every options class the app's
/// composition registers (each property of its <c>Section</c>), every <c>%Name%</c> placeholder in functions.metadata
/// and host.json, and the few keys read straight from configuration.
/// </summary>
public sealed partial class AppSettingsDocumentationTests(ITestOutputHelper output)
{
    /// <summary>Keys read with <c>IConfiguration[...]</c> rather than through an options class, and the host's own.</summary>
    private static readonly (string Key, string ReadBy)[] DirectReads =
    [
        ("ConnectionStrings:" + PersistenceRegistration.ConnectionStringName, "PersistenceRegistration"),
        (TradingModeSetting.Key, "TradingModeSetting"),
        (ObservabilityRegistration.AppInsightsSetting, "ObservabilityRegistration"),
        (ObservabilityRegistration.ManagedIdentityClientIdSetting, "ObservabilityRegistration"),
        ("AzureWebJobsStorage", "the Functions host (timers, Durable task hub)"),
    ];

    private static readonly Type[] OptionsRegistrations = [typeof(IConfigureOptions<>), typeof(IValidateOptions<>), typeof(IPostConfigureOptions<>)];

    /// <summary>Every setting the code reads, as the app setting is spelled (<c>Section__Property</c>), with who reads it.</summary>
    internal static IReadOnlyDictionary<string, string> SettingsReadByTheCode()
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var options in RegisteredOptionsTypes())
        {
            var section = options.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
            Assert.True(section is not null,
                $"{options.FullName} is bound by the app but has no `public const string Section`; add it so this test can list its settings.");
            foreach (var key in Keys(options, section!))
            {
                settings.TryAdd(key, options.Name);
            }
        }
        foreach (var (key, readBy) in DirectReads)
        {
            settings.TryAdd(key.Replace(":", "__", StringComparison.Ordinal), readBy);
        }
        var metadata = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"));
        var hostJson = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"));
        foreach (Match placeholder in Placeholder().Matches(metadata + hostJson))
        {
            settings.TryAdd(placeholder.Groups[1].Value, "a %placeholder% in functions.metadata or host.json");
        }
        return settings;
    }

    /// <summary>The app's own options classes, from the registrations of its real composition (what Program.cs runs).</summary>
    private static IEnumerable<Type> RegisteredOptionsTypes()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "Host=unused" });
        builder.ComposeApp();
        return builder.Services
            .Where(d => d.ServiceType.IsGenericType && OptionsRegistrations.Contains(d.ServiceType.GetGenericTypeDefinition()))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("BitcoinAutoTrading.", StringComparison.Ordinal) == true)
            .Distinct();
    }

    private const string AnyKey = "*";

    /// <summary>Whether a documented name stands for the setting; <see cref="AnyKey"/> matches one key segment
    /// (<c>&lt;model&gt;</c> in the README, a real model name in the sample).</summary>
    private static bool Documents(HashSet<string> names, string key) => key.Contains(AnyKey, StringComparison.Ordinal)
        ? names.Any(n => Regex.IsMatch(n, "^" + Regex.Escape(key).Replace(@"\*", "[^_]+", StringComparison.Ordinal) + "$"))
        : names.Contains(key);

    private static IEnumerable<string> Keys(Type options, string prefix)
    {
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var isLeaf = type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
                         || type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(Guid);
            if (isLeaf)
            {
                yield return prefix + "__" + name;
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[1].IsClass)
            {
                // A map bound by key (e.g. Gemini:Prices:{model}:…): any key stands for the whole family of settings.
                foreach (var nested in Keys(type.GetGenericArguments()[1], prefix + "__" + name + "__" + AnyKey))
                {
                    yield return nested;
                }
            }
            else if (type.IsClass && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
            {
                foreach (var nested in Keys(type, prefix + "__" + name))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return prefix + "__" + name + "__…";
            }
        }
    }

    /// <summary>The settings named in the first column of the README's configuration table.</summary>
    private static HashSet<string> ReadmeSettings()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("README.md"));
        var start = Array.FindIndex(lines, l => l.Trim() == "## Configuration");
        Assert.True(start >= 0, "README.md has no '## Configuration' section.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }
            var firstCell = line.Split('|')[1];
            foreach (Match name in Backticked().Matches(firstCell))
            {
                names.Add(name.Groups[1].Value);
            }
        }
        return names;
    }

    /// <summary>The settings of local.settings.sample.json: <c>Values</c>, and <c>ConnectionStrings</c> as <c>ConnectionStrings__Name</c>.</summary>
    private static HashSet<string> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("local.settings.sample.json")));
        var names = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (sample.RootElement.TryGetProperty("ConnectionStrings", out var connectionStrings))
        {
            names.UnionWith(connectionStrings.EnumerateObject().Select(p => "ConnectionStrings__" + p.Name));
        }
        return names;
    }

    [Fact]
    public void SettingsReadByTheCode_AreAllInReadmeAndSample()
    {
        var settings = SettingsReadByTheCode();
        var readme = ReadmeSettings();
        var sample = SampleSettings();
        foreach (var (key, readBy) in settings)
        {
            output.WriteLine($"{key,-45} {readBy,-45} README {(Documents(readme, key) ? "yes" : "NO")}  sample {(Documents(sample, key) ? "yes" : "NO")}");
        }

        var missing = settings
            .SelectMany(s => new[]
            {
                Documents(readme, s.Key) ? null : $"`{s.Key}` (read by {s.Value}) is missing from README.md's configuration table: add a row naming it, its default and meaning.",
                Documents(sample, s.Key) ? null : $"`{s.Key}` (read by {s.Value}) is missing from local.settings.sample.json: add it under Values with its default or an empty placeholder.",
            })
            .OfType<string>()
            .ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void SettingsReadByTheCode_IncludeEveryOptionsClassOfTheComposition()
    {
        // Guards the discovery itself: the sections we know of must be found through the composition's registrations.
        var settings = SettingsReadByTheCode();

        Assert.Contains("Gemini__MaxAttempts", settings.Keys);
        Assert.Contains("Gemini__Temperature", settings.Keys);
        Assert.Contains("Upbit__MaxOrderSubmitAttempts", settings.Keys);
        Assert.Contains("HealthCheck__ProbeTimeout", settings.Keys);
        Assert.Contains("Orders__PollTimeout", settings.Keys);
        Assert.Contains("MarketDataSchedule", settings.Keys);
        Assert.Contains("DurableTaskHubName", settings.Keys);
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex Placeholder();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
