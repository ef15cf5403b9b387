using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// Whether confidence means what it says (issue #16), and a signal's provenance. Provenance (the prompt and the model's
/// raw answer) is served on its own admin-level route: the isolated worker receives the request without the host's
/// key claims, so a function-level route cannot reliably tell a master key from a function key; the host itself
/// enforces the admin level here.
/// </summary>
public sealed class SignalCalibrationFunctions(ISignalRepository signals, TimeProvider timeProvider, ILogger<SignalCalibrationFunctions> logger)
{
    [Function("GetSignalCalibration")]
    public Task<IActionResult> Calibration(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "signals/calibration")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var days = query.Int("days", SignalFunctions.MinDays, SignalFunctions.MaxDays, SignalFunctions.DefaultDays);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var since = timeProvider.GetUtcNow().AddDays(-days);
            var samples = await signals.ListCalibrationSamplesAsync(since, ct).ConfigureAwait(false);
            return new OkObjectResult(new SignalCalibrationResponse(
                days, since,
                SignalCalibration.Compute(samples).Select(SourceCalibrationResponse.From).ToList(),
                SignalCalibration.Compute(samples.Where(s => s.Paired)).Select(SourceCalibrationResponse.From).ToList()));
        });

    [Function("GetSignalProvenance")]
    public Task<IActionResult> Provenance(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "signals/{id}/provenance")] HttpRequest request, string id) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var signalId = query.RouteId("id", id);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var signal = await signals.GetByIdAsync(signalId, ct).ConfigureAwait(false);
            return signal is null
                ? ApiProblems.NotFound(request, $"There is no signal {signalId}.")
                : new OkObjectResult(SignalProvenanceResponse.From(signal));
        });
}
