using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Signals;

/// <summary>Every 30 minutes: pipeline → stored signal → hand-off to trading when actionable (SPEC §2.1, §4).</summary>
public sealed class GenerateSignalFunction(
    IJobRunner jobRunner, ISignalRunner runner, IOptions<TradingOptions> trading, DurableClientAccessor durableClients)
{
    [Function(nameof(GenerateSignal))]
    public Task GenerateSignal(
        [TimerTrigger("%SignalSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        // An actionable signal starts ExecuteOrderOrchestrator; the worker hands the client only to functions.
        durableClients.Use(durableClient);
        return jobRunner.RunAsync(
            nameof(GenerateSignal), timer.IsPastDue, ct => runner.RunAsync(trading.Value.Market, ct), cancellationToken);
    }
}
