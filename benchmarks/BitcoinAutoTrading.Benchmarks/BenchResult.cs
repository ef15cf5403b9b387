namespace BitcoinAutoTrading.Benchmarks;

/// <summary>One row of the SPEC §12 table.</summary>
internal sealed record BenchResult(string Id, string What, string Measured, string Ratio, string Target, bool Holds);
