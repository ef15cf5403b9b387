using System.CommandLine;
using System.Globalization;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Infrastructure.Backtesting;
using BitcoinAutoTrading.Infrastructure.Exchange;
using BitcoinAutoTrading.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary><c>bat import</c>: Upbit's public minute candles into market_data, resumable, with progress and a summary.</summary>
internal static class ImportCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var range = new RangeOptions();
        var command = new Command("import", "Import Upbit 1-minute candles of a range into market_data (200 per request, resumable).");
        common.AddTo(command);
        range.AddTo(command);
        command.SetAction(async (parse, ct) => await context.RunAsync(async () =>
        {
            var configuration = common.Configuration(parse, context);
            var (from, to) = range.Range(parse);
            var market = range.MarketOf(parse, configuration);
            await WarnBeyondRetentionAsync(context, configuration, from).ConfigureAwait(false);
            // The app's own composition of persistence and the Upbit quotation client (rate limiter, retries);
            // the host is never started, so nothing but these two is used.
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(configuration);
            builder.AddPersistence();
            builder.AddExchange();
            using var host = builder.Build();
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            await using (var probe = await CliDatabase.OpenAsync(configuration, ct).ConfigureAwait(false))
            {
                // Reachability checked with a clear message before the first page.
            }
            var stored = await new BacktestDataReader(dataSource).GetStoredMinuteStartsAsync(market, from, to, ct).ConfigureAwait(false);
            var importer = new MinuteImporter(host.Services.GetRequiredService<IExchange>(), host.Services.GetRequiredService<IMarketDataRepository>());
            var lastPrinted = -1;
            var summary = await importer.ImportAsync(market, from, to, stored, p =>
            {
                var pct = p.PagesTotal == 0 ? 100 : p.PagesDone * 100 / p.PagesTotal;
                // One line per 5 %: readable in a terminal and in a log file alike.
                if (pct / 5 != lastPrinted / 5 || p.PagesDone == p.PagesTotal)
                {
                    lastPrinted = pct;
                    var bar = new string('#', pct / 5).PadRight(20, '.');
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{bar}] {pct,3}%  page {p.PagesDone}/{p.PagesTotal}  {p.Fetched} fetched  ETA {(p.Eta ?? TimeSpan.Zero):hh\\:mm\\:ss}"));
                }
            }, cancellationToken: ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Imported {market} {from:yyyy-MM-dd HH:mm}..{to:yyyy-MM-dd HH:mm} UTC: {summary.Pages} pages ({summary.PagesFetched} fetched, {summary.PagesSkipped} already stored), {summary.Fetched} minutes fetched, {summary.Written} rows written, {summary.AlreadyStored} already stored, {summary.MissingAtExchange} without a candle at Upbit, in {summary.Elapsed.TotalSeconds:0.0} s.")).ConfigureAwait(false);
        }).ConfigureAwait(false));
        return command;
    }

    /// <summary>
    /// Minutes older than <c>MarketData__RetentionDays</c> are what PurgeMarketData deletes: imported into the app's
    /// database they are gone after its next run, so a long backtest belongs in a database of its own.
    /// </summary>
    private static async Task WarnBeyondRetentionAsync(CliContext context, IConfiguration configuration, DateTimeOffset from)
    {
        var retentionDays = configuration.GetSection(MarketDataOptions.Section).Get<MarketDataOptions>()?.RetentionDays
            ?? new MarketDataOptions().RetentionDays;
        var horizon = context.Clock.GetUtcNow() - TimeSpan.FromDays(retentionDays);
        if (from < horizon)
        {
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"warning: minutes before {horizon:yyyy-MM-dd HH:mm} UTC are older than MarketData__RetentionDays ({retentionDays}): PurgeMarketData deletes them from the app's database at its next run. For backtests beyond the retention, import into a database of its own (--connection \"Host=...;Database=bat_backtest;...\", then bat migrate, import and backtest with the same --connection).")).ConfigureAwait(false);
        }
    }
}
