using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Fixtures;

/// <summary>
/// The PostgreSQL server the integration tests use, one per test run:
/// <c>BAT_TEST_POSTGRES</c> (an admin connection string) if set, otherwise a throwaway cluster started from the
/// local PostgreSQL binaries, otherwise a clear failure saying what to install.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "BAT_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> AdminConnection = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _clusterDirectory;
    private static string? _binDirectory;

    /// <summary>A connection string with rights to create databases.</summary>
    public static Task<string> GetAdminConnectionStringAsync() => AdminConnection.Value;

    private static async Task<string> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        _binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
            "Integration tests need PostgreSQL 15 or newer. Either set BAT_TEST_POSTGRES to an admin connection string " +
            "(e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=...) or install the server binaries " +
            "(Debian/Ubuntu: apt-get install postgresql) so the tests can start a throwaway cluster.");

        var port = FreePort();
        _clusterDirectory = Path.Combine(Path.GetTempPath(), $"bat-pg-{Environment.ProcessId}-{port}");
        Directory.CreateDirectory(_clusterDirectory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", $"postgres \"{_clusterDirectory}\"").ConfigureAwait(false);
        }

        await RunPgAsync(asRoot, "initdb", $"-D \"{_clusterDirectory}\" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync").ConfigureAwait(false);
        await RunPgAsync(asRoot, "pg_ctl",
            $"-D \"{_clusterDirectory}\" -w -l \"{_clusterDirectory}/server.log\" -o \"-c listen_addresses=127.0.0.1 -p {port} " +
            $"-k {_clusterDirectory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start").ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(asRoot);
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    private static void Stop(bool asRoot)
    {
        if (_clusterDirectory is null || _binDirectory is null)
        {
            return;
        }
        try
        {
            RunPgAsync(asRoot, "pg_ctl", $"-D \"{_clusterDirectory}\" -m immediate -w stop").GetAwaiter().GetResult();
            Directory.Delete(_clusterDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Best effort at exit: a leftover temp folder is harmless.
        }
    }

    private static string? FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => c.Version >= 15)
                .OrderByDescending(c => c.Version)
                .Select(c => c.Dir)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator);
        return candidates.Concat(onPath).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static Task RunPgAsync(bool asRoot, string tool, string arguments)
    {
        var path = Path.Combine(_binDirectory!, tool);
        return asRoot ? RunAsync("runuser", $"-u postgres -- \"{path}\" {arguments}") : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string fileName, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {arguments}' exited with {process.ExitCode}: {await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await GetAdminConnectionStringAsync().ConfigureAwait(false);
        var name = $"bat_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var admin = await GetAdminConnectionStringAsync().ConfigureAwait(false);
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
