using BitcoinAutoTrading.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

IHost host;
try
{
    var builder = FunctionsApplication.CreateBuilder(args);
    builder.ConfigureFunctionsWebApplication();
    builder.ComposeApp();
    host = builder.Build();
    await host.StartAsync().ConfigureAwait(false);
}
#pragma warning disable CA1031 // Whatever stops start-up is reported as one line before the process exits.
catch (Exception ex)
#pragma warning restore CA1031
{
    // First and on one line: the host shows worker stderr as it comes, and restarts the worker after it exits.
    await Console.Error.WriteLineAsync(StartupFailure.Describe(ex)).ConfigureAwait(false);
    if (!StartupFailure.IsConfigurationError(ex))
    {
        // Not a setting: the details are needed to find the cause, after the line that names it.
        await Console.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
    }
    return 1;
}

using (host)
{
    await host.WaitForShutdownAsync().ConfigureAwait(false);
}
return 0;
