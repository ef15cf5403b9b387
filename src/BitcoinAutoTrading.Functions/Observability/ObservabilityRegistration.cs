using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using BitcoinAutoTrading.Core.Observability;
using BitcoinAutoTrading.Infrastructure.Observability;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BitcoinAutoTrading.Functions.Observability;

public static class ObservabilityRegistration
{
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Client id of the app's user-assigned identity (set by infra); App Insights has local auth off.</summary>
    public const string ManagedIdentityClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>The worker capability naming the OpenTelemetry schema of the worker's invocation telemetry.</summary>
    public const string SchemaVersionCapability = "WorkerOpenTelemetrySchemaVersion";

    /// <summary>
    /// Pinned below the 1.37.0 that <c>UseFunctionsWorkerDefaults()</c> advertises: under 1.37.0 the worker leaves the
    /// invocation id out of the log scope, so the host cannot attach a log line to its invocation and shows none of the
    /// app's lines (azure-functions-dotnet-worker #3489). README "Monitoring" says what it changes in App Insights.
    /// </summary>
    public const string PinnedSchemaVersion = "1.17.0";

    /// <summary>
    /// OpenTelemetry with the Functions worker defaults (host.json telemetryMode OpenTelemetry): our spans and meter,
    /// outbound HTTP, Npgsql commands and pool metrics. Exported to Azure Monitor only when a connection string is set;
    /// without one nothing is exported and nothing fails.
    /// </summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        var slackWebhook = builder.Configuration["Slack:WebhookUrl"];
        var telemetry = builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                // First, so exporters added later only ever see redacted spans.
                .AddProcessor(sp => new SecretRedactingActivityProcessor(sp.GetRequiredService<SecretRedactor>()))
                .AddSource(BatTelemetry.Name)
                .AddHttpClientInstrumentation(http =>
                    // The Slack webhook URL is itself the secret: its calls get no HTTP span at all.
                    http.FilterHttpRequestMessage = request => string.IsNullOrEmpty(slackWebhook)
                        || request.RequestUri is null
                        || !request.RequestUri.ToString().StartsWith(slackWebhook, StringComparison.Ordinal))
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(BatTelemetry.Name)
                .AddMeter("Npgsql")
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[AppInsightsSetting]))
        {
            var clientId = builder.Configuration[ManagedIdentityClientIdSetting];
            telemetry.UseAzureMonitorExporter(options =>
            {
                // Application Insights in infra has local auth disabled: ingestion must carry an Entra token.
                if (!string.IsNullOrWhiteSpace(clientId))
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }
        // PostConfigure runs after every Configure, whatever the registration order: the pin always wins.
        builder.Services.PostConfigure<WorkerOptions>(worker => worker.Capabilities[SchemaVersionCapability] = PinnedSchemaVersion);
        builder.Services.TryAddSingleton(sp => SecretRedactor.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        return builder;
    }
}
