using System.Globalization;
using System.Text;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Trading;
using BitcoinAutoTrading.Functions.Api;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using Moq;
using Xunit.Abstractions;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>
/// SPEC §13 R5: generated malformed query strings and bodies (fixed seed) on every route that takes input. Every answer
/// must be a 4xx problem, never 5xx, and no table may change. Routes without input get junk parameters and must not 5xx.
/// </summary>
public sealed class ApiFuzzTests(PostgresDatabaseFixture database, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    private const int Seed = 20_261_130;
    private const int MalformedCases = 1_200;

    private sealed record QueryParam(string Name, Func<Random, string> Invalid);

    private sealed record FuzzRoute(string Function, IReadOnlyList<QueryParam> Params, bool HasRouteId = false, Func<Random, byte[]>? Body = null);

    private static readonly string[] Junk =
    [
        "", " ", "abc", "null", "true", "[]", "{}", "1.5", "1e3", "1,000", "0x10", "--1", "1-", "%00", "\u0000", "\uFFFD", "١٢",
        "' OR 1=1 --", "<script>", "../../etc/passwd", "NaN", "Infinity", "-Infinity", "9223372036854775808",
        "99999999999999999999999", "-9223372036854775809", "%", "%ZZ", "%E0%A4%A", "😀", new string('9', 400), "\t5", "5 ",
    ];

    private static string IntOutOfRange(Random random, int min, int max) => random.Next(8) switch
    {
        0 => (min - 1).ToString(CultureInfo.InvariantCulture),
        1 => (max + 1).ToString(CultureInfo.InvariantCulture),
        2 => ((long)max + random.Next(1, int.MaxValue)).ToString(CultureInfo.InvariantCulture),
        3 => (-random.Next(0, int.MaxValue) - (min > 0 ? 0 : 1) - (min - 1 < 0 ? 0 : min)).ToString(CultureInfo.InvariantCulture),
        4 => int.MinValue.ToString(CultureInfo.InvariantCulture),
        5 => random.Next(min, max + 1).ToString(CultureInfo.InvariantCulture) + "." + random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
        _ => Junk[random.Next(Junk.Length)],
    };

    private static QueryParam IntParam(string name, int min, int max) => new(name, r => IntOutOfRange(r, min, max));

    private static QueryParam IdParam(string name) => new(name, InvalidId);

    private static string InvalidId(Random random) => random.Next(5) switch
    {
        0 => "0",
        1 => "-" + random.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture),
        2 => "+" + random.Next(1, 1000).ToString(CultureInfo.InvariantCulture),
        _ => Junk[random.Next(Junk.Length)],
    };

    private static QueryParam EnumParam<TEnum>(string name)
        where TEnum : struct, Enum =>
        new(name, r =>
        {
            string candidate;
            do
            {
                candidate = r.Next(3) switch
                {
                    0 => Junk[r.Next(Junk.Length)],
                    1 => WireNames.All<TEnum>(WireCase.UpperSnake)[r.Next(Enum.GetValues<TEnum>().Length)] + "X",
                    _ => ((int)(object)Enum.GetValues<TEnum>()[0]).ToString(CultureInfo.InvariantCulture),
                };
            }
            while (WireNames.TryParse<TEnum>(candidate, out _));
            return candidate;
        });

    private static readonly FuzzRoute[] Routes =
    [
        new("GetMarketHistory", [IntParam("hours", 1, 744), IntParam("limit", 1, 1000)]),
        new("GetMarketStats", [IntParam("hours", 1, 744)]),
        new("ListSignals", [IntParam("limit", 1, 100), EnumParam<SignalType>("type"), IdParam("before")]),
        new("GetSignal", [], HasRouteId: true),
        new("GetSignalPerformance", [IntParam("days", 1, 365)]),
        new("ListOrders", [EnumParam<OrderStatus>("status"), IntParam("limit", 1, 100), IdParam("before")]),
        new("GetOrder", [], HasRouteId: true),
        new("ListBacktests", [IntParam("limit", 1, 100)]),
        new("GetBacktest", [], HasRouteId: true),
        new("ListRiskEvents", [IntParam("limit", 1, 100), EnumParam<RiskEventType>("type"), IdParam("before")]),
        new("GetDailyStats", [IntParam("days", 1, 365)]),
        new("GetAiUsage", [IntParam("days", 1, 365)]),
        new("HaltTrading", [], Body: r => MalformedKillSwitchBody(r, haltRequiresReason: true)),
        new("ResumeTrading", [], Body: r => MalformedKillSwitchBody(r, haltRequiresReason: false)),
        new("PatchConfig", [], Body: MalformedConfigBody),
        // Within the cooldown every manual run is refused; fuzzed input must not change that or write anything.
        new("GenerateSignalNow", [IntParam("limit", 1, 1)]),
    ];

    private static readonly string[] NoInputRoutes =
        ["GetMarketLatest", "GetPosition", "GetBalance", "GetRiskStatus", "GetConfig", "HealthDetailed", "Health"];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static readonly string[] MalformedJson =
    [
        "{", "}", "{\"reason\":}", "{\"reason\" \"x\"}", "{'reason':'x'}", "{\"reason\":\"x\",}", "nul", "[", "{\"a\":1}}",
        "{\"reason\":\"x\"", "\"unterminated", "{\"reason\":\"\\u12\"}", "{\"min_confidence\":0.5e}", "{\"min_confidence\":.5}",
        "{\"min_confidence\":01}", "{\"min_confidence\":+1}", "{\"min_confidence\":NaN}", "{/*c*/}", "{\"x\":1}//",
        new string('[', 100) + new string(']', 100), "{\"a\":" + new string('[', 40) + new string(']', 40) + "}",
    ];

    private static readonly string[] NonObjectJson = ["[]", "[1,2,3]", "\"text\"", "42", "-1.5", "true", "false", "null", "[{\"reason\":\"x\"}]"];

    private static byte[] CommonMalformedBody(Random random) => random.Next(5) switch
    {
        0 => Utf8(MalformedJson[random.Next(MalformedJson.Length)]),
        1 => Utf8(NonObjectJson[random.Next(NonObjectJson.Length)]),
        2 => [0xC3, 0x28, 0xA0, 0xA1, (byte)'{', (byte)'}'],
        3 => Utf8("{\"reason\":" + JsonString(new string('x', 17_000)) + "}"),
        _ => Utf8("{\"" + Junk[random.Next(Junk.Length)].Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal) + "x\":1"),
    };

    private static byte[] MalformedKillSwitchBody(Random random, bool haltRequiresReason)
    {
        var badReason = random.Next(7) switch
        {
            0 => "\"\"",
            1 => JsonString(new string(' ', random.Next(1, 10))),
            2 => JsonString(new string('r', random.Next(201, 600))),
            3 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
            4 => new[] { "null", "true", "[]", "{}", "[\"x\"]", "1.5" }[random.Next(6)],
            5 => JsonString("ok\u0007bell"),
            _ => JsonString("ok\nnewline"),
        };
        return random.Next(6) switch
        {
            0 => CommonMalformedBody(random),
            1 => Utf8("{\"reason\":" + badReason + "}"),
            2 => Utf8("{\"reason\":\"fine\",\"" + new[] { "force", "Reason", "REASON", "reason ", "until", "" }[random.Next(6)] + "\":1}"),
            3 => Utf8("{\"reason\":\"a\",\"reason\":\"b\"}"),
            4 when haltRequiresReason => Utf8(random.Next(2) == 0 ? "{}" : " \r\n"),
            _ => Utf8("{\"reason\":" + badReason + ",\"extra\":" + badReason + "}"),
        };
    }

    private static byte[] MalformedConfigBody(Random random)
    {
        var rule = ConfigSettingRules.All[random.Next(ConfigSettingRules.All.Count)];
        var badValue = rule.Kind switch
        {
            ConfigValueKind.Boolean => new[] { "\"true\"", "0", "1", "null", "[]", "\"yes\"" }[random.Next(6)],
            ConfigValueKind.Text => new[] { "\"\"", "\"has space\"", "\"-leading\"", "42", "null", JsonString(new string('m', 101)), "\"a/b\"" }[random.Next(7)],
            _ => random.Next(6) switch
            {
                0 => (rule.Min!.Value - 0.5m - random.Next(0, 1000)).ToString(CultureInfo.InvariantCulture),
                1 => (rule.Max!.Value + 0.5m + random.Next(0, 1000)).ToString(CultureInfo.InvariantCulture),
                2 => "\"" + rule.Min!.Value.ToString(CultureInfo.InvariantCulture) + "\"",
                3 => new[] { "null", "true", "[]", "{}", "1e400", "-1e400" }[random.Next(6)],
                4 when rule.Kind == ConfigValueKind.Integer => (rule.Min!.Value + 0.5m).ToString(CultureInfo.InvariantCulture),
                _ => (rule.Max!.Value * 10 + 1).ToString(CultureInfo.InvariantCulture),
            },
        };
        var validOther = ConfigSettingRules.All[random.Next(ConfigSettingRules.All.Count)];
        var validPart = validOther.Key == rule.Key ? "" : $"\"{validOther.Key}\":{validOther.DefaultJson},";
        return random.Next(6) switch
        {
            0 => CommonMalformedBody(random),
            1 => Utf8(random.Next(2) == 0 ? "{}" : ""),
            2 => Utf8("{\"" + new[] { "unknown", "Min_Confidence", "min-confidence", "trading_mode", "manual_signal_last_run", "" }[random.Next(6)] + "\":1}"),
            3 => Utf8($"{{\"{rule.Key}\":{rule.DefaultJson},\"{rule.Key}\":{rule.DefaultJson}}}"),
            // A valid setting next to an invalid one: all or nothing, so neither may be stored.
            _ => Utf8($"{{{validPart}\"{rule.Key}\":{badValue}}}"),
        };
    }

    private static string MalformedQuery(Random random, FuzzRoute route)
    {
        var parts = new List<string>();
        var bad = route.Params[random.Next(route.Params.Count)];
        var value = bad.Invalid(random);
        parts.Add(random.Next(10) switch
        {
            0 => bad.Name,
            1 => $"{bad.Name}=1&{bad.Name}={Uri.EscapeDataString(value)}",
            2 => $"{bad.Name}={value}",
            _ => $"{bad.Name}={Uri.EscapeDataString(value)}",
        });
        if (random.Next(3) == 0)
        {
            var other = route.Params[random.Next(route.Params.Count)];
            if (other.Name != bad.Name)
            {
                parts.Add($"{other.Name}={Uri.EscapeDataString(other.Invalid(random))}");
            }
        }
        if (random.Next(3) == 0)
        {
            parts.Add($"junk{random.Next(100)}={Uri.EscapeDataString(Junk[random.Next(Junk.Length)])}");
        }
        return string.Join('&', parts.OrderBy(_ => random.Next()));
    }

    /// <summary>One byte-level defect: the bytes sent, the Content-Type header (null: none) and the status it must get.</summary>
    private sealed record ByteCase(string Name, byte[] Body, string? ContentType, int Expected);

    private static byte[] Bytes(params object[] parts) => parts
        .SelectMany(p => p switch { string text => Encoding.UTF8.GetBytes(text), byte[] raw => raw, _ => throw new ArgumentException("text or bytes") })
        .ToArray();

    /// <summary>
    /// The defects seen on the real host (issue #17): bytes the JSON reader accepts but .NET cannot turn into text, and
    /// bodies not declared as JSON. <paramref name="key"/> is a property the route reads; <paramref name="valid"/> a whole
    /// body the route would accept, so a media-type case would write if it were not refused.
    /// </summary>
    private static IEnumerable<ByteCase> ByteCases(string key, string valid) =>
    [
        new("invalid UTF-8 in a value (\\xff\\xfe)", Bytes($"{{\"{key}\": \"", new byte[] { 0xFF, 0xFE }, "\"}"), "application/json", 400),
        new("invalid UTF-8 in a property name", Bytes("{\"stop", new byte[] { 0xFF }, "_loss_pct\": 6}"), "application/json", 400),
        new("truncated 3-byte sequence", Bytes($"{{\"{key}\": \"halt ", new byte[] { 0xE2, 0x82 }, "\"}"), "application/json", 400),
        new("overlong encoding of '/'", Bytes($"{{\"{key}\": \"", new byte[] { 0xC0, 0xAF }, "\"}"), "application/json", 400),
        new("UTF-8-encoded surrogate (CESU-8)", Bytes($"{{\"{key}\": \"", new byte[] { 0xED, 0xA0, 0x80 }, "\"}"), "application/json", 400),
        new("invalid continuation (\\xc3\\x28)", Bytes($"{{\"{key}\": \"a", new byte[] { 0xC3, 0x28 }, "b\"}"), "application/json", 400),
        new("escaped lone high surrogate \\ud800", Bytes($"{{\"{key}\": \"\\ud800\"}}"), "application/json", 400),
        new("escaped lone low surrogate \\udc00", Bytes($"{{\"{key}\": \"x\\udc00y\"}}"), "application/json", 400),
        new("escaped surrogates in the wrong order", Bytes($"{{\"{key}\": \"\\udc00\\ud800\"}}"), "application/json", 400),
        new("escaped lone surrogate in a property name", Bytes("{\"\\ud800\": 1}"), "application/json", 400),
        new("escaped lone surrogate inside an array", Bytes($"{{\"{key}\": [\"ok\", \"\\ud83d\"]}}"), "application/json", 400),
        new("raw NUL inside a string", Bytes($"{{\"{key}\": \"a", new byte[] { 0x00 }, "b\"}"), "application/json", 400),
        new("valid body as text/plain", Bytes(valid), "text/plain", 415),
        new("valid body as a form", Bytes(valid), "application/x-www-form-urlencoded", 415),
        new("valid body without Content-Type", Bytes(valid), null, 415),
        new("valid body as JSON in latin1", Bytes(valid), "application/json; charset=iso-8859-1", 415),
        new("valid body under an unparsable Content-Type", Bytes(valid), ";;", 415),
    ];

    private static readonly (string Function, string Key, string Valid)[] BodyRoutes =
    [
        ("HaltTrading", "reason", "{\"reason\":\"maintenance\"}"),
        ("ResumeTrading", "reason", "{\"reason\":\"back\"}"),
        ("PatchConfig", "ai_model", "{\"min_confidence\":0.7}"),
    ];

    [Fact]
    public async Task Fuzz_ByteLevelBodies_AnswerNamedProblem_NeverWrite()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        await host.Service<ISystemConfigRepository>().SetAsync("min_confidence", "0.65", "seed");
        var before = await ApiTestData.FingerprintAsync(host.DataSource);

        var failures = new List<string>();
        var lines = new List<string>();
        foreach (var (function, key, valid) in BodyRoutes)
        {
            foreach (var testCase in ByteCases(key, valid))
            {
                var declared = ApiRoutes.Get(function);
                var request = host.Request(declared.Method, declared.Path(), null, testCase.Body);
                request.ContentType = testCase.ContentType;
                var response = await ApiTestHost.ExecuteAsync(request, await ApiRoutes.InvokeAsync(host, function, request));
                var named = testCase.Expected == 400 ? string.Join(" ", response.ErrorsFor(ApiJsonBody.Field)) : response.Body.GetProperty("detail").GetString();
                lines.Add($"{function,-14} {testCase.Name,-45} {testCase.ContentType ?? "(none)",-38} → {response.Status} {named}");
                if (response.Status != testCase.Expected || !response.IsProblem || string.IsNullOrEmpty(named)
                    || response.Body.GetRawText().Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"{function} {testCase.Name}: expected {testCase.Expected}, got {response.Status} {response.Body.GetRawText()}");
                }
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, lines));
        Assert.Empty(failures);
        Assert.Equal(before, await ApiTestData.FingerprintAsync(host.DataSource));
        host.Notifier.Verify(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<BitcoinAutoTrading.Core.Notifications.NotificationSeverity>(), It.IsAny<CancellationToken>()), Times.Never);
        host.SettingsProvider.Verify(p => p.InvalidateAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Fuzz_MalformedQueriesAndBodies_AlwaysProblem4xx_NeverWrite()
    {
        await using var host = await ApiTestHost.CreateAsync(database);
        // Real rows in every table the routes read, so a malformed request meets data as well as an empty table.
        await ApiTestData.SeedMinutesAsync(host, 120);
        await ApiTestData.SeedSignalAsync(host, ApiTestHost.Now.AddMinutes(-30));
        await ApiTestData.SeedExecutedBuyAsync(host, "fuzz-1", ApiTestHost.Now.AddHours(-1));
        await ApiTestData.SeedRiskEventAsync(host, RiskEventType.LowConfidence, ApiTestHost.Now.AddHours(-2));
        await host.Service<ISystemConfigRepository>().SetAsync("min_confidence", "0.65", "seed");
        host.SignalRunner.Setup(r => r.RunAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SignalRunResult(1, null!, "unused"));
        // Start the cooldown (a valid, accepted request); from here on nothing may be written.
        await host.Service<ManualSignalCooldown>().TryStartAsync(CancellationToken.None);
        var before = await ApiTestData.FingerprintAsync(host.DataSource);

        var random = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        for (var i = 0; i < MalformedCases; i++)
        {
            var route = Routes[i % Routes.Length];
            string? query = null;
            byte[]? body = null;
            string? id = null;
            if (route.Body is not null)
            {
                body = route.Body(random);
                if (random.Next(4) == 0)
                {
                    query = $"junk={Uri.EscapeDataString(Junk[random.Next(Junk.Length)])}";
                }
            }
            else if (route.HasRouteId)
            {
                id = InvalidId(random);
            }
            else
            {
                query = MalformedQuery(random, route);
            }

            var declared = ApiRoutes.Get(route.Function);
            var request = host.Request(declared.Method, declared.Path(id ?? "x"), query, body);
            var response = await ApiTestHost.ExecuteAsync(request, await ApiRoutes.InvokeAsync(host, route.Function, request, id));
            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            if (response.Status is < 400 or >= 500 || !response.IsProblem
                || response.Body.GetRawText().Contains("   at ", StringComparison.Ordinal))
            {
                failures.Add($"{route.Function} query='{query}' id='{id}' body='{(body is null ? "" : Encoding.UTF8.GetString(body)[..Math.Min(80, body.Length)])}' → {response.Status}");
            }
        }

        var noInput = 0;
        for (var i = 0; i < 200; i++)
        {
            var function = NoInputRoutes[i % NoInputRoutes.Length];
            var response = await ApiRoutes.CallAsync(host, function, MalformedQuery(random, Routes[0]));
            noInput++;
            if (response.Status >= 500)
            {
                failures.Add($"{function} → {response.Status}");
            }
        }

        output.WriteLine($"{MalformedCases} malformed requests over {Routes.Length} routes with input, {noInput} junk queries on {NoInputRoutes.Length} routes without; statuses: "
                         + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.Empty(failures);
        Assert.Equal(before, await ApiTestData.FingerprintAsync(host.DataSource));
        host.Notifier.Verify(n => n.NotifyAsync(It.IsAny<string>(), It.IsAny<BitcoinAutoTrading.Core.Notifications.NotificationSeverity>(), It.IsAny<CancellationToken>()), Times.Never);
        host.SettingsProvider.Verify(p => p.InvalidateAsync(It.IsAny<CancellationToken>()), Times.Never);
        host.SignalRunner.Verify(r => r.RunAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
