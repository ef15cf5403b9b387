using System.Globalization;
using System.Text;
using BitcoinAutoTrading.Benchmarks;
using BitcoinAutoTrading.Infrastructure.Persistence;

// SPEC §12: `dotnet run -c Release --project benchmarks/BitcoinAutoTrading.Benchmarks -- [--quick]`
var quick = args.Contains("--quick", StringComparer.Ordinal);
// --backtest: only issue 13's rows (B1, B2), written to docs/BACKTEST-PERFORMANCE.md with the sample report under docs/.
var backtestOnly = args.Contains("--backtest", StringComparer.Ordinal);
var started = DateTimeOffset.UtcNow;

// `-- --only P2|P3`: one of the in-memory measurements alone, printed as its table row and not written to the report.
if (args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() is { } only)
{
    var single = only switch
    {
        "P2" => await CacheMeasurements.P2ExchangeCallsAsync(),
        "P3" => await CacheMeasurements.P3ConfigReadsAsync(),
        _ => throw new ArgumentException($"--only takes P2 or P3, not '{only}'."),
    };
    Console.WriteLine($"| {single.Id} | {single.What} | {single.Seed} | {single.Measured} | {single.Ratio} | {single.Target} | {(single.Holds ? "yes" : "**no**")} |");
    return single.Holds ? 0 : 1;
}

await using var postgres = await BenchPostgres.StartAsync();
var connectionString = await postgres.CreateDatabaseAsync();
List<BenchResult> results;
try
{
    await using var dataSource = PostgresDataSourceFactory.Create(connectionString, new DatabaseOptions());
    await new DatabaseMigrator(dataSource).MigrateAsync();
    if (backtestOnly)
    {
        var backtests = new BacktestMeasurements(dataSource);
        Console.WriteLine("B1, B2: seeding a year and 14 days of generated minutes…");
        await backtests.SeedAsync();
        results = [await backtests.B1YearAsync(), await backtests.B2SweepAsync(Path.Combine(RepositoryRoot(), "docs"))];
        var backtestReport = Report(results, quick, postgres.Description, started, DateTimeOffset.UtcNow - started);
        Console.WriteLine(backtestReport);
        await File.WriteAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "BACKTEST-PERFORMANCE.md"), backtestReport);
        return results.All(r => r.Holds) ? 0 : 1;
    }
    var measurements = new Measurements(dataSource, quick);
    Console.WriteLine("Seeding 31 days of minutes…");
    await measurements.SeedAsync();
    results = [];
    Console.WriteLine("P4…");
    results.Add(await measurements.P4StatsAsync());
    results.Add(await measurements.HourlyHistoryAsync());
    Console.WriteLine("P5, P7…");
    var (p5, sample) = await measurements.P5SamplingAsync();
    results.Add(p5);
    results.Add(Measurements.P7PromptTokens(sample));
    Console.WriteLine("P8…");
    results.Add(await measurements.P8BackfillAsync());
    Console.WriteLine("P9…");
    results.Add(measurements.P9PipelineCpu(sample));
    Console.WriteLine("P2, P3…");
    results.Add(await CacheMeasurements.P2ExchangeCallsAsync());
    results.Add(await CacheMeasurements.P3ConfigReadsAsync());
    Console.WriteLine("P6: seeding 100k orders, 100k signals and up to 1M minutes…");
    var indexes = new IndexMeasurements(dataSource, quick);
    await indexes.SeedAsync();
    results.Add(await indexes.P6ListQueriesAsync());
    await using (var orders = new OrderMeasurements(connectionString, quick))
    {
        await orders.StartAsync();
        Console.WriteLine("P1 (an order waiting on a late fill, then the seed's design)…");
        results.Add(await orders.P1ConnectionsHeldAsync());
        Console.WriteLine("P10…");
        results.Add(await orders.P10ConcurrentQueriesAsync());
    }
    // The backtester's rows get a database of their own: the rows above seeded market_data with their own minutes.
    var backtestConnection = await postgres.CreateDatabaseAsync();
    try
    {
        await using var backtestSource = PostgresDataSourceFactory.Create(backtestConnection, new DatabaseOptions());
        await new DatabaseMigrator(backtestSource).MigrateAsync();
        var backtest = new BacktestMeasurements(backtestSource);
        Console.WriteLine("B1, B2 (backtester)…");
        await backtest.SeedAsync();
        results.Add(await backtest.B1YearAsync());
        results.Add(await backtest.B2SweepAsync(null));
    }
    finally
    {
        await postgres.DropDatabaseAsync(backtestConnection);
    }
    results = [.. results.OrderBy(r => r.Id[0] == 'P' ? 0 : 1)
        .ThenBy(r => int.Parse(new string(r.Id[1..].TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture))
        .ThenBy(r => r.Id, StringComparer.Ordinal)];
}
finally
{
    await postgres.DropDatabaseAsync(connectionString);
}

var report = Report(results, quick, postgres.Description, started, DateTimeOffset.UtcNow - started);
Console.WriteLine();
Console.WriteLine(report);
var path = Path.Combine(RepositoryRoot(), "docs", "PERFORMANCE.md");
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
await File.WriteAllTextAsync(path, report);
Console.WriteLine($"Written to {path}");
return results.All(r => r.Holds) ? 0 : 1;

static string Report(IReadOnlyList<BenchResult> results, bool quick, string database, DateTimeOffset started, TimeSpan elapsed)
{
    var text = new StringBuilder();
    var inv = CultureInfo.InvariantCulture;
    text.AppendLine("# Performance (SPEC §12)");
    text.AppendLine();
    text.AppendLine(inv, $"Measured {started:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} CPU(s), {CpuModel()}, .NET {Environment.Version}, PostgreSQL: {database}; mode: {(quick ? "quick" : "full")}, run took {elapsed.TotalSeconds:F0} s.");
    text.AppendLine(inv, $"Load average at the end of the run: {LoadAverage()}. Absolute times on a shared machine are noise; each target is a ratio or a count measured side by side in this one run.");
    text.AppendLine("The harness and PostgreSQL share the same cores over loopback, so the load-and-compute baselines of P4/P5 pay almost nothing for moving rows; against a database across a network they cost more and the ratios are a lower bound.");
    text.AppendLine("Re-run: `scripts/bench.sh [--quick]` (= `dotnet run -c Release --project benchmarks/BitcoinAutoTrading.Benchmarks -- [--quick]`; BAT_BENCH_POSTGRES for an existing server). Quick mode: fewer iterations and the late fill after 3 s instead of 30 s.");
    text.AppendLine();
    text.AppendLine("| id | what | seed | measured | ratio | target | holds? |");
    text.AppendLine("|---|---|---|---|---|---|---|");
    foreach (var r in results)
    {
        text.AppendLine(inv, $"| {r.Id} | {r.What} | {r.Seed} | {r.Measured} | {r.Ratio} | {r.Target} | {(r.Holds ? "yes" : "**no**")} |");
    }
    var misses = results.Where(r => !r.Holds).ToList();
    if (misses.Count > 0)
    {
        text.AppendLine();
        text.AppendLine("## Targets not met, and why");
        text.AppendLine();
        foreach (var r in misses)
        {
            text.AppendLine(inv, $"- **{r.Id}**: {r.WhyNot ?? "see the measured figure; no explanation recorded."}");
        }
    }
    return text.ToString();
}

static string LoadAverage()
{
    const string loadAverage = "/proc/loadavg";
    return File.Exists(loadAverage) ? string.Join(' ', File.ReadAllText(loadAverage).Split(' ').Take(3)) : "unknown";
}

static string CpuModel()
{
    const string cpuInfo = "/proc/cpuinfo";
    var line = File.Exists(cpuInfo)
        ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
        : null;
    return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "BitcoinAutoTrading.Functions.sln")))
        {
            return directory.FullName;
        }
    }
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "BitcoinAutoTrading.Functions.sln")))
        {
            return directory.FullName;
        }
    }
    throw new InvalidOperationException("Run the benchmarks from inside the repository.");
}
