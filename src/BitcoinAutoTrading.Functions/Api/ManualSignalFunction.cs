using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Trading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>Runs one signal cycle now (SPEC §7 admin), the same run the timer does, at most once per 5 minutes.</summary>
public sealed partial class ManualSignalFunction(
    ManualSignalCooldown cooldown, IOptions<TradingOptions> trading, ISignalRunner runner, DurableClientAccessor durableClients,
    ILogger<ManualSignalFunction> logger)
{
    private readonly TradingOptions _market = trading.Value;

    [Function("GenerateSignalNow")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "signals/generate")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            durableClients.Use(durableClient);
            if (await cooldown.TryStartAsync(ct).ConfigureAwait(false) is { } wait)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                return ApiProblems.TooManyRequests(
                    request, $"A manual signal run started less than {ManualSignalCooldown.Period.TotalMinutes:0} minutes ago; retry in {seconds} s.", seconds);
            }

            SignalRunResult result;
            try
            {
                result = await runner.RunAsync(_market.Market, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunFailed(logger, ex);
                return ApiProblems.BadGateway(request, "The signal run failed; the error has been logged.");
            }
            var signal = result.Signal;
            LogRun(logger, result.SignalId, signal.SignalType);
            return new OkObjectResult(new GeneratedSignalResponse(
                result.SignalId, signal.Market, signal.SignalType, signal.ActionScore, signal.Confidence, signal.Provider,
                signal.IsFallback, signal.LastPrice, result.ExecutionNote, signal.GeneratedAt));
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Manual signal run stored signal {SignalId} ({SignalType})")]
    private static partial void LogRun(ILogger logger, long signalId, string signalType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Manual signal run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
