using System.Text.Json;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Persistence;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>
/// Issue #16's routes over real PostgreSQL: calibration against a hand computation, primary vs shadow side by side, and
/// the admin-only provenance. The functions are invoked as the host would after routing and auth.
/// </summary>
public sealed class SignalCalibrationRoutesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Calibration_SeededEvaluatedSignals_EqualHandComputation()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        // Technical: confidences 0.55 ✓, 0.58 ✗, 0.72 ✓, 0.95 ✓, 1.00 ✗ at 4 h; the first two also at 24 h (✗, ✓).
        (decimal Confidence, bool Correct4h, bool? Correct24h)[] seeded =
            [(0.55m, true, false), (0.58m, false, true), (0.72m, true, null), (0.95m, true, null), (1.00m, false, null)];
        var at = ApiTestHost.Now.AddDays(-2);
        foreach (var (confidence, correct4h, correct24h) in seeded)
        {
            await SeedEvaluatedAsync(host, Technical(at, confidence), correct4h, correct24h);
            at = at.AddMinutes(30);
        }
        // Not evaluated yet: left out. Outside the window: left out.
        await host.Service<ISignalRepository>().InsertAsync(Technical(ApiTestHost.Now.AddHours(-1), 0.9m));
        await SeedEvaluatedAsync(host, Technical(ApiTestHost.Now.AddDays(-40), 0.9m), false, false);

        var response = await ApiRoutes.CallAsync(host, "GetSignalCalibration", "days=30");

        Assert.Equal(200, response.Status);
        var source = Assert.Single(response.Body.GetProperty("sources").EnumerateArray());
        Assert.Equal(("primary", "technical", JsonValueKind.Null),
            (source.GetProperty("role").GetString(), source.GetProperty("provider").GetString(), source.GetProperty("model").ValueKind));
        var h4 = source.GetProperty("fourHours");
        // ((0.55−1)² + 0.58² + (0.72−1)² + (0.95−1)² + 1²) / 5 = 1.6198 / 5
        Assert.Equal(5, h4.GetProperty("evaluated").GetInt32());
        Assert.Equal(0.32396m, h4.GetProperty("brierScore").GetDecimal());
        Assert.Equal(0.6m, h4.GetProperty("hitRate").GetDecimal());
        Assert.Equal(0.76m, h4.GetProperty("meanConfidence").GetDecimal());
        var band5 = h4.GetProperty("bands")[5];
        Assert.Equal((0.5m, 0.6m, 2, 0.565m, 0.5m), (band5.GetProperty("from").GetDecimal(), band5.GetProperty("to").GetDecimal(),
            band5.GetProperty("count").GetInt32(), band5.GetProperty("meanConfidence").GetDecimal(), band5.GetProperty("hitRate").GetDecimal()));
        var band9 = h4.GetProperty("bands")[9];
        Assert.Equal((2, 0.975m, 0.5m), (band9.GetProperty("count").GetInt32(), band9.GetProperty("meanConfidence").GetDecimal(), band9.GetProperty("hitRate").GetDecimal()));
        var h24 = source.GetProperty("twentyFourHours");
        // (0.55² + (0.58 − 1)²) / 2
        Assert.Equal((2, 0.23945m), (h24.GetProperty("evaluated").GetInt32(), h24.GetProperty("brierScore").GetDecimal()));
        Assert.Empty(response.Body.GetProperty("shadowComparison").EnumerateArray());
    }

    [Fact]
    public async Task CalibrationAndPerformance_ShadowRuns_ComparedSideBySideOverTheSameRuns()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var signals = host.Service<ISignalRepository>();
        var at = ApiTestHost.Now.AddDays(-1);
        // Two runs with a shadow; one earlier run without (in the primary's own figures, not in the comparison).
        var lone = await SeedEvaluatedAsync(host, Gemini(at.AddHours(-1), 0.7m, SignalType.Buy), true, null);
        var first = await SeedEvaluatedAsync(host, Gemini(at, 0.8m, SignalType.Buy), true, null);
        await SeedEvaluatedAsync(host, Gemini(at, 0.6m, SignalType.Sell) with { ModelName = "gemini-2.5-pro", IsShadow = true, ShadowOfId = first }, false, null);
        var second = await SeedEvaluatedAsync(host, Gemini(at.AddMinutes(30), 0.9m, SignalType.Buy), false, null);
        await SeedEvaluatedAsync(host, Gemini(at.AddMinutes(30), 0.5m, SignalType.Hold) with { ModelName = "gemini-2.5-pro", IsShadow = true, ShadowOfId = second }, true, null);

        var calibration = await ApiRoutes.CallAsync(host, "GetSignalCalibration", "days=7");
        var performance = await ApiRoutes.CallAsync(host, "GetSignalPerformance", "days=7");

        var comparison = calibration.Body.GetProperty("shadowComparison").EnumerateArray().ToList();
        Assert.Equal(["primary gemini-2.5-flash", "shadow gemini-2.5-pro"],
            comparison.Select(c => $"{c.GetProperty("role").GetString()} {c.GetProperty("model").GetString()}"));
        // Primary over the paired runs: (0.8 − 1)² and 0.9² → 0.425; shadow: 0.6² and (0.5 − 1)² → 0.305.
        Assert.Equal(0.425m, comparison[0].GetProperty("fourHours").GetProperty("brierScore").GetDecimal());
        Assert.Equal(0.305m, comparison[1].GetProperty("fourHours").GetProperty("brierScore").GetDecimal());
        Assert.Equal(3, calibration.Body.GetProperty("sources")[0].GetProperty("signals").GetInt32());

        // The primary's own figures leave shadows out; the comparison shows both per type over the two paired runs.
        var types = performance.Body.GetProperty("types").EnumerateArray().ToList();
        Assert.Equal(3, Assert.Single(types).GetProperty("total").GetInt32());
        var sides = performance.Body.GetProperty("shadowComparison").EnumerateArray().ToList();
        Assert.Equal(["primary", "shadow"], sides.Select(s => s.GetProperty("role").GetString()));
        Assert.Equal(2, sides[0].GetProperty("types")[0].GetProperty("total").GetInt32());
        Assert.Equal(["HOLD", "SELL"], sides[1].GetProperty("types").EnumerateArray().Select(t => t.GetProperty("signalType").GetString()));
        Assert.NotEqual(0, lone);
    }

    [Fact]
    public async Task Provenance_AdminRoute_ReturnsPromptAndRawResponseWhichTheFunctionLevelRouteHides()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        var id = await host.Service<ISignalRepository>().InsertAsync(Gemini(ApiTestHost.Now.AddHours(-1), 0.7m, SignalType.Buy) with
        {
            Provenance = new SignalProvenance(new string('a', 64), "krw_available=*** rsi=61", 1, "gemini-2.5-flash-001", "resp-9", """{"candidates":[]}"""),
        });

        var provenance = await ApiRoutes.CallAsync(host, "GetSignalProvenance", id: id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var signal = await ApiRoutes.CallAsync(host, "GetSignal", id: id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("admin", ApiRoutes.Get("GetSignalProvenance").AuthLevel, ignoreCase: true);
        Assert.Equal(200, provenance.Status);
        Assert.Equal(new string('a', 64), provenance.Body.GetProperty("promptSha256").GetString());
        Assert.Equal("krw_available=*** rsi=61", provenance.Body.GetProperty("prompt").GetString());
        Assert.Equal(("gemini-2.5-flash-001", "resp-9", 1),
            (provenance.Body.GetProperty("modelVersion").GetString(), provenance.Body.GetProperty("responseId").GetString(),
             provenance.Body.GetProperty("responseSchemaVersion").GetInt32()));
        Assert.Equal("""{"candidates":[]}""", provenance.Body.GetProperty("rawResponse").GetString());
        Assert.Equal(200, signal.Status);
        Assert.False(signal.Body.TryGetProperty("prompt", out _));
        Assert.False(signal.Body.TryGetProperty("rawResponse", out _));
        Assert.Equal(404, (await ApiRoutes.CallAsync(host, "GetSignalProvenance", id: "999999")).Status);
    }

    private static NewSignal Technical(DateTimeOffset at, decimal confidence) => PersistenceTestData.Signal(at) with
    {
        Provider = SignalProviderKind.Technical,
        ModelName = null,
        InputTokens = null,
        OutputTokens = null,
        ThinkingTokens = null,
        Confidence = confidence,
    };

    private static NewSignal Gemini(DateTimeOffset at, decimal confidence, SignalType type) =>
        PersistenceTestData.Signal(at, type) with { Confidence = confidence, ModelName = "gemini-2.5-flash" };

    private static async Task<long> SeedEvaluatedAsync(ApiTestHost host, NewSignal signal, bool correct4h, bool? correct24h)
    {
        var signals = host.Service<ISignalRepository>();
        var id = await signals.InsertAsync(signal);
        await signals.SetEvaluationAsync(id, EvaluationHorizon.FourHours, 100_000_000m, 0.5m, correct4h, signal.CreatedAt.AddHours(4));
        if (correct24h is { } ok)
        {
            await signals.SetEvaluationAsync(id, EvaluationHorizon.TwentyFourHours, 100_000_000m, 0.5m, ok, signal.CreatedAt.AddHours(24));
        }
        return id;
    }
}
