namespace BitcoinAutoTrading.Core.Trading;

public enum OrderStartStatus
{
    Started = 1,
    /// <summary>An order for the market is already in flight (running orchestration or a non-terminal order row).</summary>
    AlreadyInFlight = 2,
}

public sealed record OrderStartResult(OrderStartStatus Status, string InstanceId);

/// <summary>Starts <c>ExecuteOrderOrchestrator</c> for an instruction: at most one order in flight per market (SPEC §6).</summary>
public interface IOrderStarter
{
    Task<OrderStartResult> StartAsync(OrderInstruction instruction, CancellationToken cancellationToken = default);
}
