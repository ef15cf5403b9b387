using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Core.Trading;

/// <summary>How the order orchestration polls the exchange (section <c>Orders</c>, SPEC §6).</summary>
public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>How long to wait for a fill before cancelling; also the age after which SyncOpenOrders reconciles an order.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait between two looks at the order; doubled after each look.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInitialInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap on the doubled wait.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    public OrderPolling ToPolling() => new(PollInitialInterval, PollMaxInterval, PollTimeout);
}
