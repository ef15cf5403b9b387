namespace BitcoinAutoTrading.Benchmarks;

/// <summary>One row of the SPEC §12 table; <see cref="Seed"/> is the seed report's figure for the same row.</summary>
internal sealed record BenchResult(string Id, string What, string Measured, string Ratio, string Target, bool Holds)
{
    public string Seed { get; init; } = "—";

    /// <summary>Why the target is missed, when it is: printed under the table.</summary>
    public string? WhyNot { get; init; }
}
