namespace BitcoinAutoTrading.Core.Risk;

/// <summary>
/// Stop-loss, take-profit and trailing stop on the latest price (SPEC §5.3), run by CollectMarketData every minute.
/// Runs even while trading is halted: halting blocks entries, never capital protection.
/// </summary>
public interface IProtectiveExitMonitor
{
    Task CheckAsync(string market, decimal lastPrice, CancellationToken cancellationToken = default);
}
