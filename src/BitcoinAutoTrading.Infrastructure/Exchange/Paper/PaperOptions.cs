using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Infrastructure.Exchange.Paper;

/// <summary>Section <c>Paper</c>: the simulated account used when <c>Trading:Mode=Paper</c>.</summary>
public sealed class PaperOptions
{
    public const string Section = "Paper";

    /// <summary>KRW credited when the ledger is first used; later changes do not touch an existing ledger.</summary>
    [Range(typeof(decimal), "0", "1000000000000")]
    public decimal InitialKrw { get; set; } = 1_000_000m;

    /// <summary>Upbit's KRW-market fee, 0.05 %.</summary>
    [Range(typeof(decimal), "0", "0.01")]
    public decimal FeeRate { get; set; } = 0.0005m;
}
