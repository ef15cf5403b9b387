using BitcoinAutoTrading.Infrastructure.Exchange;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BitcoinAutoTrading.IntegrationTests.Exchange;

/// <summary>Builds the app's exchange registration (AddExchange) against an <see cref="UpbitFake"/>, with fast test timings.</summary>
internal static class ExchangeTestHost
{
    public static IHost Build(
        UpbitFake upbit,
        string mode = "Live",
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        NpgsqlDataSource? dataSource = null,
        CapturingLoggerProvider? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var values = new Dictionary<string, string?>
        {
            ["Trading:Mode"] = mode,
            ["Upbit:BaseUrl"] = upbit.Url,
            ["Upbit:AccessKey"] = UpbitFake.AccessKey,
            ["Upbit:SecretKey"] = UpbitFake.SecretKey,
            ["Upbit:RetryBaseDelay"] = "00:00:00.010",
            // Generous: a cold first call (JIT, connection) on a busy 2-core machine must not time out and retry.
            ["Upbit:RequestTimeout"] = "00:00:10",
            ["Upbit:MaxRetryAfter"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        if (dataSource is not null)
        {
            builder.Services.AddSingleton(dataSource);
        }
        configure?.Invoke(builder.Services);
        builder.AddExchange();
        return builder.Build();
    }
}
