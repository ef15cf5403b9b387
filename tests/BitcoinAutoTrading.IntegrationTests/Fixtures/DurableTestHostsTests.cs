using System.Net;
using System.Net.Sockets;
using BitcoinAutoTrading.Functions.Trading;
using BitcoinAutoTrading.IntegrationTests.Trading;
using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask.Testing;

namespace BitcoinAutoTrading.IntegrationTests.Fixtures;

/// <summary>The failure <see cref="DurableTestHosts"/> retries is the one the test host really throws on a taken port.</summary>
public sealed class DurableTestHostsTests
{
    [Fact]
    public async Task StartAsync_PortAlreadyTaken_FailsWithTheAddressInUseShapeTheStarterRetries()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var failure = await Assert.ThrowsAsync<IOException>(() => DurableTestHosts.StartAsync(
            registry => registry.AddOrderOrchestration(() => throw new InvalidOperationException("never activated")),
            new DurableTaskTestHostOptions { Port = port }));

        Assert.IsType<AddressInUseException>(failure.InnerException);
    }
}
