using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace BitcoinAutoTrading.IntegrationTests.Fixtures;

/// <summary>
/// Starts the Durable in-process test host. It binds its gRPC sidecar to a port it picks at random without asking the
/// system, so with test classes starting hosts and HTTP fakes side by side it can pick one just taken ("address already
/// in use", seen once in CI). Another random port is then tried, a few times; any other failure is not retried.
/// </summary>
public static class DurableTestHosts
{
    private const int Attempts = 5;

    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> registry, DurableTaskTestHostOptions? options = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(registry, options ?? new DurableTaskTestHostOptions());
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException && attempt < Attempts)
            {
                // The port was taken between the pick and the bind: pick again.
            }
        }
    }
}
