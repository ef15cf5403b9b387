using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BitcoinAutoTrading.IntegrationTests.Trading;

/// <summary>
/// Runs the real <see cref="ExecuteOrderOrchestrator"/> and the real <see cref="OrderActivities"/> in the Durable
/// in-process test host (a gRPC sidecar on loopback), over whatever <see cref="IOrderExecutionSteps"/> a test gives.
/// </summary>
public static class OrchestrationHost
{
    /// <param name="dataConverter">The worker's payload converter; null for the test host's default.</param>
    public static Task<DurableTaskTestHost> StartAsync(IOrderExecutionSteps steps, DataConverter? dataConverter = null)
    {
        var activities = new OrderActivities(steps);
        var options = new DurableTaskTestHostOptions();
        if (dataConverter is not null)
        {
            options.ConfigureServices = services => services.PostConfigureAll<Microsoft.DurableTask.Worker.DurableTaskWorkerOptions>(
                o => o.DataConverter = dataConverter);
        }
        return DurableTestHosts.StartAsync(registry => registry.AddOrderOrchestration(() => activities), options);
    }

    public static async Task<OrderOutcome> RunToCompletionAsync(DurableTaskTestHost host, ExecuteOrderInput input, TimeSpan timeout)
    {
        var instanceId = ExecuteOrderOrchestrator.InstanceIdFor(input.Instruction.Market);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ExecuteOrderOrchestrator), input, new StartOrchestrationOptions(instanceId));
        using var cts = new CancellationTokenSource(timeout);
        var metadata = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        return metadata.ReadOutputAs<OrderOutcome>()!;
    }
}
