using BitcoinAutoTrading.Core;
using BitcoinAutoTrading.Infrastructure;
using BitcoinAutoTrading.Infrastructure.Observability;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Functions;

/// <summary>
/// The app's whole service composition, one call per layer. Program.cs runs it on the Functions builder; the
/// end-to-end tests run the very same method on a plain host builder, so they exercise the real registrations.
/// </summary>
public static class AppComposition
{
    public static IHostApplicationBuilder ComposeApp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCore();
        builder.AddInfrastructure();
        builder.AddFunctionsHost();
        // Last: wraps every logger provider registered above so no secret reaches a log (R7).
        builder.Services.AddSecretRedaction();
        return builder;
    }
}
