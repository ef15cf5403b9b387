using System.Diagnostics;
using BitcoinAutoTrading.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Composition;

/// <summary>
/// What a <c>func start</c> user sees when a setting is missing. The worker process is started as the host starts it
/// (<c>dotnet BitcoinAutoTrading.Functions.dll</c> with the host's endpoint in <c>Functions:Worker:HostEndpoint</c>; the
/// endpoint is never reached, start-up fails first), standing in for the host, which only relays the worker's stderr.
/// </summary>
public sealed class StartupFailureTests(ITestOutputHelper output)
{
    private static readonly string[] AppSettings =
        ["ConnectionStrings__Postgres", "Trading__Mode", "Upbit__AccessKey", "Upbit__SecretKey", "APPLICATIONINSIGHTS_CONNECTION_STRING"];

    private static async Task<(int ExitCode, string[] Stderr)> RunWorkerAsync(Dictionary<string, string> settings)
    {
        var worker = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        worker.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BitcoinAutoTrading.Functions.dll"));
        foreach (var name in AppSettings)
        {
            worker.Environment.Remove(name);
        }
        worker.Environment["Functions__Worker__HostEndpoint"] = "http://127.0.0.1:1";
        foreach (var (name, value) in settings)
        {
            worker.Environment[name] = value;
        }
        using var process = Process.Start(worker)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Worker_WithoutConnectionString_WritesOneStderrLineNamingItAndExits1()
    {
        var (exitCode, stderr) = await RunWorkerAsync([]);

        output.WriteLine(string.Join(Environment.NewLine, stderr));
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr);
        Assert.StartsWith(StartupFailure.Prefix, line, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Postgres", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_LiveWithoutUpbitKeys_WritesOneStderrLineNamingBothKeysAndExits1()
    {
        var (exitCode, stderr) = await RunWorkerAsync(new()
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=unused;Username=unused",
            ["Trading__Mode"] = "Live",
        });

        output.WriteLine(string.Join(Environment.NewLine, stderr));
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr);
        Assert.Contains("Upbit:AccessKey", line, StringComparison.Ordinal);
        Assert.Contains("Upbit:SecretKey", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_AppCompositionWithoutConnectionString_IsOneLineNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([]);
        builder.ComposeApp();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var line = StartupFailure.Describe(error);
        Assert.DoesNotContain('\n', line);
        Assert.True(StartupFailure.IsConfigurationError(error));
        Assert.Contains("ConnectionStrings:Postgres", line, StringComparison.Ordinal);
    }
}
