using BitcoinAutoTrading.Functions.Observability;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moq;

namespace BitcoinAutoTrading.IntegrationTests.Observability;

/// <summary>
/// Whether the app's log lines can reach the Functions host's output. The host shows a worker log line only when it
/// arrives with its invocation id, which the worker's gRPC log writer (GrpcFunctionsHostLogWriter) takes from the log
/// scope key <c>AzureFunctions_InvocationId</c>; the worker's telemetry provider, chosen by the
/// <c>WorkerOpenTelemetrySchemaVersion</c> capability, decides whether that key is in the scope. These tests stand in for
/// <c>func start</c> (Core Tools cannot run here): they build the worker's own provider from our registration and read
/// the scope it opens for an invocation.
/// </summary>
public sealed class WorkerLogVisibilityTests
{
    private const string InvocationIdScopeKey = "AzureFunctions_InvocationId";

    private static ServiceProvider BuildWorkerServices()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddObservability();
        // The worker core registers the telemetry provider the real worker uses for every invocation.
        builder.Services.AddFunctionsWorkerCore();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void AddObservability_KeepsWorkerOpenTelemetry_AndPinsSchema1170()
    {
        using var services = BuildWorkerServices();

        var capabilities = services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities;

        Assert.Equal(ObservabilityRegistration.PinnedSchemaVersion, capabilities[ObservabilityRegistration.SchemaVersionCapability]);
        Assert.Equal("1.17.0", ObservabilityRegistration.PinnedSchemaVersion);
        // Still the worker's own OpenTelemetry export (the host does not re-emit the worker's logs to App Insights).
        Assert.Equal(bool.TrueString, capabilities["WorkerOpenTelemetryEnabled"]);
    }

    [Fact]
    public void InvocationLogScope_WithOurRegistration_CarriesTheInvocationIdTheHostNeeds()
    {
        using var services = BuildWorkerServices();
        var providerType = typeof(WorkerOptions).Assembly.GetType("Microsoft.Azure.Functions.Worker.Diagnostics.IFunctionTelemetryProvider", throwOnError: true)!;
        var provider = services.GetRequiredService(providerType);
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("GetSignal");
        var trace = new Mock<TraceContext>();
        trace.SetupGet(t => t.Attributes).Returns(new Dictionary<string, string>());
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.InvocationId).Returns("inv-17");
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.TraceContext).Returns(trace.Object);

        var scope = ((IEnumerable<KeyValuePair<string, object>>)providerType.GetMethod("GetScopeAttributes")!.Invoke(provider, [context.Object])!).ToList();

        Assert.Contains(scope, kv => kv.Key == InvocationIdScopeKey && Equals(kv.Value, "inv-17"));
    }
}
