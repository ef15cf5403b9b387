using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BitcoinAutoTrading.Benchmarks;

/// <summary>
/// The PostgreSQL the harness measures against: <c>BAT_BENCH_POSTGRES</c> (an admin connection string) if set,
/// otherwise a throwaway cluster from the local binaries (as the integration tests start theirs), removed on dispose.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    public const string EnvironmentVariable = "BAT_BENCH_POSTGRES";

    private readonly string? _clusterDirectory;
    private readonly string? _binDirectory;
    private readonly bool _asRoot;
    private readonly string _adminConnectionString;

    private BenchPostgres(string adminConnectionString, string? clusterDirectory, string? binDirectory, bool asRoot)
    {
        _adminConnectionString = adminConnectionString;
        _clusterDirectory = clusterDirectory;
        _binDirectory = binDirectory;
        _asRoot = asRoot;
    }

    /// <summary>Where the numbers came from, for the report.</summary>
    public string Description => _clusterDirectory is null
        ? $"{EnvironmentVariable}"
        : "throwaway local cluster (default durability: fsync and synchronous commit on)";

    public static async Task<BenchPostgres> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new BenchPostgres(given, null, null, false);
        }

        var binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
            "The benchmarks need PostgreSQL 15 or newer: set BAT_BENCH_POSTGRES to an admin connection string, or install " +
            "the server binaries (Debian/Ubuntu: apt-get install postgresql) so a throwaway cluster can be started.");
        var port = FreePort();
        var directory = Path.Combine(Path.GetTempPath(), $"bat-bench-pg-{Environment.ProcessId}-{port}");
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        var server = new BenchPostgres(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false", directory, binDirectory, asRoot);
        if (asRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", $"postgres \"{directory}\"").ConfigureAwait(false);
        }
        await server.RunPgAsync("initdb", $"-D \"{directory}\" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync").ConfigureAwait(false);
        await server.RunPgAsync("pg_ctl",
            // Durability as in production (fsync, synchronous commit): a per-row commit must pay what it pays there.
            $"-D \"{directory}\" -w -l \"{directory}/server.log\" -o \"-c listen_addresses=127.0.0.1 -p {port} -k {directory}\" start").ConfigureAwait(false);
        return server;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"bat_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_clusterDirectory is null)
        {
            return;
        }
        await RunPgAsync("pg_ctl", $"-D \"{_clusterDirectory}\" -m immediate -w stop").ConfigureAwait(false);
        Directory.Delete(_clusterDirectory, recursive: true);
    }

    private Task RunPgAsync(string tool, string arguments)
    {
        var path = Path.Combine(_binDirectory!, tool);
        return _asRoot ? RunAsync("runuser", $"-u postgres -- \"{path}\" {arguments}") : RunAsync(path, arguments);
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
}
