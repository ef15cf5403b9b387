using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BitcoinAutoTrading.Core.Exchange;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace BitcoinAutoTrading.IntegrationTests.Fakes;

/// <summary>
/// A WireMock server that behaves like Upbit over real HTTP: it verifies each exchange request's JWT (HS512/HS256 with
/// the secret's raw bytes, access key, unused nonce) and recomputes <c>query_hash</c> from the raw query or JSON body it
/// received; it answers with <c>Remaining-Req</c>, keeps balances and orders, refuses reused identifiers, insufficient
/// funds and orders under 5,000 KRW like Upbit, and can misbehave on a schedule (5xx, 429, 418, lost or slow answers).
/// </summary>
/// <example>
/// <code>
/// using var upbit = UpbitFake.Start();
/// upbit.SetTicker("KRW-BTC", 100_000_000m);
/// upbit.SetBalance("KRW", 1_000_000m);
/// upbit.ScheduleFaults(UpbitEndpoint.PlaceOrder, UpbitFault.LostResponse);
/// // point Upbit:BaseUrl at upbit.Url with Upbit:AccessKey/SecretKey = UpbitFake.AccessKey/SecretKey
/// Assert.Equal(1, upbit.OrdersPlaced);
/// </code>
/// </example>
public sealed class UpbitFake : IDisposable
{
    public const string AccessKey = "fake-upbit-access-key";
    public const string SecretKey = "fake-upbit-secret-key-0123456789abcdef";
    public const decimal DefaultFeeRate = 0.0005m;
    public const decimal MinimumOrderKrw = 5_000m;

    private readonly WireMockServer _server;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, decimal> _tickers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Market, CandleInterval Interval), List<Candle>> _candles = [];
    private readonly Dictionary<string, (decimal Balance, decimal Locked, decimal AvgBuyPrice)> _balances = new(StringComparer.Ordinal);
    private readonly List<OrderState> _orders = [];
    private readonly Dictionary<UpbitEndpoint, Queue<UpbitFault>> _faults = [];
    private readonly List<FakeRequest> _requests = [];
    private readonly HashSet<string> _nonces = new(StringComparer.Ordinal);
    // Upbit's own group names, as its Remaining-Req header sends them: quotation endpoints have one group each.
    private readonly Dictionary<string, int> _reportedLimits = new(StringComparer.Ordinal)
    {
        ["ticker"] = 10,
        ["candles"] = 10,
        ["default"] = 30,
        ["order"] = 8,
    };
    private readonly Dictionary<string, (long Second, int Count)> _groupUsage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _arrivals = new(StringComparer.Ordinal);
    private int _authFailures;

    private UpbitFake(WireMockServer server)
    {
        _server = server;
        _server.Given(Request.Create().WithPath("/*").UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(HandleAsync));
    }

    /// <summary>Starts a fake on a free loopback port.</summary>
    public static UpbitFake Start() => new(WireMockServer.Start());

    /// <summary>The base URL to put in <c>Upbit:BaseUrl</c>.</summary>
    public string Url => _server.Url!;

    /// <summary>Upbit refuses a second order with a used identifier (400). Turn off to prove a client never re-sends blindly.</summary>
    public bool EnforceUniqueIdentifiers { get; set; } = true;

    /// <summary>
    /// Off (default): the reported limits only drive <c>Remaining-Req</c>. On: like Upbit, a request beyond its group's
    /// limit within any rolling second of arrivals is refused with 429 and processes nothing.
    /// </summary>
    public bool EnforceRateLimits { get; set; }

    /// <summary>The most requests of a group that arrived within any one second (rolling), over everything received.</summary>
    public int MaxArrivalsInAnySecond(params UpbitEndpoint[] endpoints)
    {
        var times = Requests.Where(r => endpoints.Length == 0 || endpoints.Contains(r.Endpoint)).Select(r => r.At).Order().ToList();
        var best = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= TimeSpan.FromSeconds(1))
            {
                first++;
            }
            best = Math.Max(best, last - first + 1);
        }
        return best;
    }

    /// <summary>0 (default): market orders are done at once. N: orders stay <c>wait</c> until looked up N times.</summary>
    public int FillAfterLookups { get; set; }

    /// <summary>Zero (default): market orders are done at once. Otherwise they stay <c>wait</c> until a lookup this long after placement.</summary>
    public TimeSpan FillDelay { get; set; }

    /// <summary>
    /// 0 (default): a cancel takes effect at once. N: Upbit has accepted the cancel but the order still reads <c>wait</c>
    /// for the next N lookups (int.MaxValue: until <see cref="SettleCancels"/>).
    /// </summary>
    public int CancelSettlesAfterLookups { get; set; }

    /// <summary>The account's fee (orders/chance <c>bid_fee</c>/<c>ask_fee</c>), also charged on fills; 0.05 % by default.</summary>
    public decimal FeeRate { get; set; } = DefaultFeeRate;

    /// <summary>
    /// Null (default): a market buy fills its whole amount and ends <c>done</c>. Otherwise it fills all but this many KRW
    /// and ends <c>cancel</c>, as Upbit closes a market buy whose remainder is too small to buy anything.
    /// </summary>
    public decimal? MarketBuyDustKrw { get; set; }

    /// <summary>Null (default): orders end done/cancel. Otherwise an immediate fill ends in this state (e.g. <c>prevented</c>) after filling <see cref="UnusualEndFillFraction"/>.</summary>
    public string? UnusualEndState { get; set; }

    public decimal UnusualEndFillFraction { get; set; } = 0.5m;

    /// <summary>Zero (default): a cancel fills nothing. Otherwise this fraction of an open market order fills just before the cancel lands.</summary>
    public decimal PartialFillOnCancel { get; set; }

    public int OrdersPlaced
    {
        get
        {
            lock (_gate)
            {
                return _orders.Count;
            }
        }
    }

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return _orders.Select(o => o.Snapshot()).ToList();
            }
        }
    }

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Requests refused with 401 (bad signature, key, nonce or query hash).</summary>
    public int AuthFailures => Volatile.Read(ref _authFailures);

    public int RequestCount(UpbitEndpoint endpoint)
    {
        lock (_gate)
        {
            return _requests.Count(r => r.Endpoint == endpoint);
        }
    }

    public void SetTicker(string market, decimal tradePrice)
    {
        lock (_gate)
        {
            _tickers[market] = tradePrice;
        }
    }

    /// <summary>Seeds candles (any order); served newest first like Upbit, filtered by <c>to</c> and <c>count</c>.</summary>
    public void SetCandles(string market, CandleInterval interval, IEnumerable<Candle> candles)
    {
        lock (_gate)
        {
            _candles[(market, interval)] = candles.OrderByDescending(c => c.Start).ToList();
        }
    }

    public void SetBalance(string currency, decimal balance, decimal locked = 0m, decimal avgBuyPrice = 0m)
    {
        lock (_gate)
        {
            _balances[currency] = (balance, locked, avgBuyPrice);
        }
    }

    public decimal GetBalance(string currency)
    {
        lock (_gate)
        {
            return _balances.TryGetValue(currency, out var b) ? b.Balance : 0m;
        }
    }

    /// <summary>
    /// What <c>Remaining-Req</c> counts down from per second for a group (ticker/candles/default/order);
    /// <c>quotation</c> sets both ticker and candles.
    /// </summary>
    public void SetReportedLimit(string group, int perSecond)
    {
        lock (_gate)
        {
            foreach (var name in group == "quotation" ? new[] { "ticker", "candles" } : [group])
            {
                _reportedLimits[name] = perSecond;
            }
        }
    }

    /// <summary>Queues faults for an endpoint; each request to it consumes the next one.</summary>
    public void ScheduleFaults(UpbitEndpoint endpoint, params UpbitFault[] faults)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(endpoint, out var queue))
            {
                _faults[endpoint] = queue = new Queue<UpbitFault>();
            }
            foreach (var fault in faults)
            {
                queue.Enqueue(fault);
            }
        }
    }

    public int PendingFaults(UpbitEndpoint endpoint)
    {
        lock (_gate)
        {
            return _faults.TryGetValue(endpoint, out var queue) ? queue.Count : 0;
        }
    }

    /// <summary>Lets every accepted cancel take effect now.</summary>
    public void SettleCancels()
    {
        lock (_gate)
        {
            foreach (var order in _orders.Where(o => o.CancelPendingLookups is not null))
            {
                order.CancelPendingLookups = null;
                order.State = "cancel";
            }
        }
    }

    /// <summary>Fills every open order at the current ticker.</summary>
    public void FillOpenOrders()
    {
        lock (_gate)
        {
            foreach (var order in _orders.Where(o => o.State == "wait"))
            {
                Fill(order);
            }
        }
    }

    /// <summary>Forgets orders, balances, tickers, candles, faults, requests and nonces; settings return to defaults.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _tickers.Clear();
            _candles.Clear();
            _balances.Clear();
            _orders.Clear();
            _faults.Clear();
            _requests.Clear();
            _nonces.Clear();
            _groupUsage.Clear();
            _arrivals.Clear();
            EnforceRateLimits = false;
            EnforceUniqueIdentifiers = true;
            FillAfterLookups = 0;
            FillDelay = TimeSpan.Zero;
            PartialFillOnCancel = 0m;
            FeeRate = DefaultFeeRate;
            CancelSettlesAfterLookups = 0;
            MarketBuyDustKrw = null;
            UnusualEndState = null;
            UnusualEndFillFraction = 0.5m;
            _authFailures = 0;
        }
    }

    public void Dispose() => _server.Stop();

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var endpoint = Classify(request.Method, request.Path);
        if (endpoint is null)
        {
            return Json(404, Error("not_found", $"No such endpoint {request.Method} {request.Path}"));
        }

        UpbitFault? fault;
        var arrivedAt = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            fault = _faults.TryGetValue(endpoint.Value, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
            if (fault is null && EnforceRateLimits && OverLimit(Group(endpoint.Value), arrivedAt))
            {
                fault = UpbitFault.TooManyRequests(1);
            }
        }

        var response = fault?.Kind switch
        {
            UpbitFaultKind.ServerError => Json(500, Error("server_error", "Internal server error")),
            UpbitFaultKind.TooManyRequests => WithRetryAfter(Json(429, Error("too_many_requests", "Too many API requests.")), fault.RetryAfterSeconds),
            UpbitFaultKind.Teapot => WithRetryAfter(Json(418, Error("blocked", $"Blocked for {fault.RetryAfterSeconds} seconds.")), fault.RetryAfterSeconds),
            _ => null,
        };
        response ??= IsPrivate(endpoint.Value) ? Authenticate(request) : null;
        response ??= Process(endpoint.Value, request);

        switch (fault?.Kind)
        {
            case UpbitFaultKind.ServerErrorAfterProcessing:
                response = Json(503, Error("service_unavailable", "Service unavailable"));
                break;
            case UpbitFaultKind.LostResponse:
                response = new ResponseMessage { StatusCode = 200, FaultType = FaultType.EMPTY_RESPONSE };
                break;
            case UpbitFaultKind.SlowResponse:
                await Task.Delay(fault.Delay).ConfigureAwait(false);
                break;
        }

        var status = response.StatusCode is int code ? code : 200;
        lock (_gate)
        {
            _requests.Add(new FakeRequest(arrivedAt, endpoint.Value, request.Method, request.Path + Query(request), status));
            // A scheduled 429 is an injected fault, so it reports the budget as counted; SetReportedLimit drives sec=0.
            var group = Group(endpoint.Value);
            response.AddHeader("Remaining-Req", $"group={group}; min=1799; sec={Remaining(group)}");
        }
        return response;
    }

    private static UpbitEndpoint? Classify(string method, string path) => (method, path) switch
    {
        ("GET", "/v1/ticker") => UpbitEndpoint.Ticker,
        ("GET", _) when path.StartsWith("/v1/candles/", StringComparison.Ordinal) => UpbitEndpoint.Candles,
        ("GET", "/v1/accounts") => UpbitEndpoint.Accounts,
        ("GET", "/v1/orders/chance") => UpbitEndpoint.OrderChance,
        ("POST", "/v1/orders") => UpbitEndpoint.PlaceOrder,
        ("GET", "/v1/order") => UpbitEndpoint.GetOrder,
        ("DELETE", "/v1/order") => UpbitEndpoint.CancelOrder,
        _ => null,
    };

    private static bool IsPrivate(UpbitEndpoint endpoint) => endpoint is not (UpbitEndpoint.Ticker or UpbitEndpoint.Candles);

    private static string Group(UpbitEndpoint endpoint) => endpoint switch
    {
        UpbitEndpoint.Ticker => "ticker",
        UpbitEndpoint.Candles => "candles",
        UpbitEndpoint.PlaceOrder => "order",
        _ => "default",
    };

    /// <summary>Counts this arrival in its group's rolling second; true when it is one too many.</summary>
    private bool OverLimit(string group, DateTimeOffset at)
    {
        if (!_arrivals.TryGetValue(group, out var window))
        {
            _arrivals[group] = window = new Queue<DateTimeOffset>();
        }
        while (window.Count > 0 && at - window.Peek() >= TimeSpan.FromSeconds(1))
        {
            window.Dequeue();
        }
        window.Enqueue(at);
        return window.Count > _reportedLimits[group];
    }

    private int Remaining(string group)
    {
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var usage = _groupUsage.TryGetValue(group, out var u) && u.Second == second ? (second, u.Count + 1) : (second, 1);
        _groupUsage[group] = usage;
        return Math.Max(0, _reportedLimits[group] - usage.Item2);
    }

    private static string Query(IRequestMessage request) =>
        string.IsNullOrEmpty(request.RawQuery) ? "" : "?" + request.RawQuery.TrimStart('?');

    /// <summary>Upbit's checks: signature with the secret's raw bytes, known access key, fresh nonce, exact query hash.</summary>
    private ResponseMessage? Authenticate(IRequestMessage request)
    {
        var header = request.Headers?.TryGetValue("Authorization", out var values) == true ? values.FirstOrDefault() : null;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Unauthorized("jwt_verification", "Authorization header missing.");
        }
        var parts = header["Bearer ".Length..].Split('.');
        if (parts.Length != 3)
        {
            return Unauthorized("jwt_verification", "Malformed JWT.");
        }

        using var jwtHeader = JsonDocument.Parse(Base64UrlDecode(parts[0]));
        var alg = jwtHeader.RootElement.TryGetProperty("alg", out var a) ? a.GetString() : null;
        var key = Encoding.UTF8.GetBytes(SecretKey);
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[]? expected = alg switch
        {
            "HS512" => HMACSHA512.HashData(key, signingInput),
            "HS256" => HMACSHA256.HashData(key, signingInput),
            _ => null,
        };
        if (expected is null || !CryptographicOperations.FixedTimeEquals(expected, Base64UrlDecode(parts[2])))
        {
            return Unauthorized("jwt_verification", "JWT signature does not verify.");
        }

        using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
        var claims = payload.RootElement;
        if (!claims.TryGetProperty("access_key", out var accessKey) || accessKey.GetString() != AccessKey)
        {
            return Unauthorized("invalid_access_key", "Unknown access key.");
        }
        if (!claims.TryGetProperty("nonce", out var nonce) || string.IsNullOrEmpty(nonce.GetString()))
        {
            return Unauthorized("jwt_verification", "nonce missing.");
        }
        lock (_gate)
        {
            if (!_nonces.Add(nonce.GetString()!))
            {
                return Unauthorized("nonce_used", "This nonce was used before.");
            }
        }

        var received = request.Method == "POST" ? BodyAsQueryString(request.BodyData?.BodyAsString) : Query(request).TrimStart('?');
        if (!string.IsNullOrEmpty(received))
        {
            var expectedHash = Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(received)));
            var hash = claims.TryGetProperty("query_hash", out var h) ? h.GetString() : null;
            var hashAlg = claims.TryGetProperty("query_hash_alg", out var ha) ? ha.GetString() : null;
            if (hash != expectedHash || hashAlg != "SHA512")
            {
                return Unauthorized("invalid_query_payload", "query_hash does not match the query received.");
            }
        }
        return null;
    }

    private ResponseMessage Unauthorized(string name, string message)
    {
        Interlocked.Increment(ref _authFailures);
        return Json(401, Error(name, message));
    }

    private static string BodyAsQueryString(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }
        using var document = JsonDocument.Parse(body);
        return string.Join('&', document.RootElement.EnumerateObject().Select(p =>
            p.Name + "=" + (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())));
    }

    private ResponseMessage Process(UpbitEndpoint endpoint, IRequestMessage request)
    {
        lock (_gate)
        {
            return endpoint switch
            {
                UpbitEndpoint.Ticker => Ticker(request),
                UpbitEndpoint.Candles => Candles(request),
                UpbitEndpoint.Accounts => Json(200, _balances.Select(b => new Dictionary<string, object>
                {
                    ["currency"] = b.Key,
                    ["balance"] = Format(b.Value.Balance),
                    ["locked"] = Format(b.Value.Locked),
                    ["avg_buy_price"] = Format(b.Value.AvgBuyPrice),
                    ["avg_buy_price_modified"] = false,
                    ["unit_currency"] = "KRW",
                }).ToList()),
                UpbitEndpoint.OrderChance => Chance(request),
                UpbitEndpoint.PlaceOrder => PlaceOrder(request.BodyData?.BodyAsString),
                UpbitEndpoint.GetOrder => GetOrder(request),
                UpbitEndpoint.CancelOrder => CancelOrder(request),
                _ => Json(404, Error("not_found", "Unknown endpoint")),
            };
        }
    }

    private ResponseMessage Ticker(IRequestMessage request)
    {
        var markets = Param(request, "markets")?.Split(',') ?? [];
        var found = markets.Where(_tickers.ContainsKey).Select(m => new Dictionary<string, object>
        {
            ["market"] = m,
            ["trade_price"] = _tickers[m],
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        }).ToList();
        return found.Count == 0 ? Json(404, Error("not_found", "Code not found")) : Json(200, found);
    }

    private ResponseMessage Candles(IRequestMessage request)
    {
        var unit = request.Path["/v1/candles/".Length..];
        CandleInterval? interval = unit switch
        {
            "days" => CandleInterval.Day,
            "weeks" => CandleInterval.Week,
            _ when unit.StartsWith("minutes/", StringComparison.Ordinal)
                && int.TryParse(unit["minutes/".Length..], CultureInfo.InvariantCulture, out var minutes)
                && Enum.IsDefined((CandleInterval)minutes) => (CandleInterval)minutes,
            _ => null,
        };
        var market = Param(request, "market") ?? "";
        if (interval is null)
        {
            return Json(400, Error("invalid_parameter", "Unsupported unit"));
        }
        var count = int.TryParse(Param(request, "count"), CultureInfo.InvariantCulture, out var c) ? c : 1;
        if (count is < 1 or > 200)
        {
            return Json(400, Error("invalid_parameter", "count must be 1..200"));
        }
        var to = Param(request, "to") is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        var candles = _candles.TryGetValue((market, interval.Value), out var list) ? list : [];
        return Json(200, candles.Where(x => to is null || x.Start < to).Take(count).Select(x => new Dictionary<string, object>
        {
            ["market"] = x.Market,
            ["candle_date_time_utc"] = x.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["candle_date_time_kst"] = x.Start.ToOffset(TimeSpan.FromHours(9)).DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["opening_price"] = x.Open,
            ["high_price"] = x.High,
            ["low_price"] = x.Low,
            ["trade_price"] = x.Close,
            ["timestamp"] = x.Start.ToUnixTimeMilliseconds(),
            ["candle_acc_trade_price"] = x.ValueKrw,
            ["candle_acc_trade_volume"] = x.Volume,
        }).ToList());
    }

    private ResponseMessage Chance(IRequestMessage request)
    {
        var market = Param(request, "market") ?? "KRW-BTC";
        return Json(200, new Dictionary<string, object>
        {
            ["bid_fee"] = Format(FeeRate),
            ["ask_fee"] = Format(FeeRate),
            ["maker_bid_fee"] = Format(FeeRate),
            ["maker_ask_fee"] = Format(FeeRate),
            ["market"] = new Dictionary<string, object>
            {
                ["id"] = market,
                ["name"] = market.Replace('-', '/'),
                ["order_types"] = new[] { "limit" },
                ["order_sides"] = new[] { "ask", "bid" },
                ["bid"] = new Dictionary<string, object> { ["currency"] = "KRW", ["min_total"] = Format(MinimumOrderKrw) },
                ["ask"] = new Dictionary<string, object> { ["currency"] = market.Split('-')[^1], ["min_total"] = Format(MinimumOrderKrw) },
                ["max_total"] = "1000000000",
                ["state"] = "active",
            },
        });
    }

    private ResponseMessage PlaceOrder(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return Json(400, Error("validation_error", "Body required"));
        }
        using var document = JsonDocument.Parse(body);
        var fields = document.RootElement;
        string? Field(string name) => fields.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;
        decimal? Number(string name) => Field(name) is { } s ? decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture) : null;

        var market = Field("market") ?? "";
        var side = Field("side") ?? "";
        var ordType = Field("ord_type") ?? "";
        var identifier = Field("identifier");
        var price = Number("price");
        var volume = Number("volume");
        if (EnforceUniqueIdentifiers && identifier is not null && _orders.Any(o => o.Identifier == identifier))
        {
            return Json(400, Error("duplicate_identifier", "identifier is already used by another order."));
        }
        if (!_tickers.TryGetValue(market, out var tradePrice))
        {
            return Json(400, Error("validation_error", $"Unknown market {market}"));
        }

        var quote = market.Split('-')[0];
        var coin = market.Split('-')[^1];
        var total = (side, ordType) switch
        {
            ("bid", "price") when price is { } krw && volume is null => krw,
            ("ask", "market") when volume is { } v && price is null => v * tradePrice,
            (_, "limit") when price is { } p && volume is { } v => p * v,
            _ => -1m,
        };
        if (total < 0)
        {
            return Json(400, Error(side == "bid" ? "create_bid_error" : "create_ask_error", "Invalid order parameters."));
        }
        if (total < MinimumOrderKrw)
        {
            return Json(400, Error(side == "bid" ? "under_min_total_bid" : "under_min_total_ask", "주문 요청 금액이 최소주문금액 미만입니다."));
        }
        if (side == "bid" && Balance(quote).Balance < total * (1 + FeeRate))
        {
            return Json(400, Error("insufficient_funds_bid", "매수가능 금액이 부족합니다."));
        }
        if (side == "ask" && Balance(coin).Balance < volume)
        {
            return Json(400, Error("insufficient_funds_ask", "매도가능 금액이 부족합니다."));
        }

        var order = new OrderState
        {
            Uuid = Guid.NewGuid().ToString(),
            Identifier = identifier,
            Market = market,
            Side = side,
            OrdType = ordType,
            Price = price,
            Volume = volume,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        _orders.Add(order);
        if (FillAfterLookups == 0 && FillDelay <= TimeSpan.Zero && ordType != "limit")
        {
            if (UnusualEndState is { } ending)
            {
                Fill(order, UnusualEndFillFraction);
                order.State = ending;
            }
            else if (MarketBuyDustKrw is { } dust && ordType == "price")
            {
                Fill(order, (price!.Value - dust) / price.Value);
                order.State = "cancel";
            }
            else
            {
                Fill(order);
            }
        }
        return Json(201, order.ToWire());
    }

    private ResponseMessage GetOrder(IRequestMessage request)
    {
        var uuid = Param(request, "uuid");
        var identifier = Param(request, "identifier");
        var order = _orders.FirstOrDefault(o => (uuid is not null && o.Uuid == uuid) || (identifier is not null && o.Identifier == identifier));
        if (order is null)
        {
            return Json(404, Error("order_not_found", "주문을 찾지 못했습니다."));
        }
        order.Lookups++;
        if (order.CancelPendingLookups is { } pending)
        {
            if (pending <= 0)
            {
                order.CancelPendingLookups = null;
                order.State = "cancel";
            }
            else
            {
                order.CancelPendingLookups = pending == int.MaxValue ? pending : pending - 1;
            }
            return Json(200, order.ToWire());
        }
        var due = (FillAfterLookups > 0 && order.Lookups >= FillAfterLookups)
            || (FillDelay > TimeSpan.Zero && DateTimeOffset.UtcNow - order.CreatedAt >= FillDelay);
        if (order.State == "wait" && due && order.OrdType != "limit")
        {
            Fill(order);
        }
        return Json(200, order.ToWire());
    }

    private ResponseMessage CancelOrder(IRequestMessage request)
    {
        var uuid = Param(request, "uuid");
        var order = _orders.FirstOrDefault(o => o.Uuid == uuid);
        if (order is null || order.State != "wait")
        {
            return Json(404, Error("order_not_found", "주문을 찾지 못했습니다."));
        }
        if (PartialFillOnCancel > 0m && order.OrdType != "limit")
        {
            Fill(order, PartialFillOnCancel);
            order.State = "wait";
        }
        // Upbit answers with the order as it was when the cancel was accepted; the state flips afterwards.
        var answer = order.ToWire();
        if (CancelSettlesAfterLookups > 0)
        {
            order.CancelPendingLookups = CancelSettlesAfterLookups;
        }
        else
        {
            order.State = "cancel";
        }
        return Json(200, answer);
    }

    private void Fill(OrderState order, decimal fraction = 1m)
    {
        var tradePrice = _tickers[order.Market];
        var quote = order.Market.Split('-')[0];
        var coin = order.Market.Split('-')[^1];
        var volume = order.Side == "bid"
            ? Math.Floor((order.OrdType == "price" ? order.Price!.Value : order.Price!.Value * order.Volume!.Value) * fraction / tradePrice * 100_000_000m) / 100_000_000m
            : Math.Floor(order.Volume!.Value * fraction * 100_000_000m) / 100_000_000m;
        var funds = Math.Round(volume * tradePrice, 8);
        var fee = Math.Round(funds * FeeRate, 8);
        var q = Balance(quote);
        var b = Balance(coin);
        if (order.Side == "bid")
        {
            _balances[quote] = (q.Balance - funds - fee, q.Locked, q.AvgBuyPrice);
            _balances[coin] = (b.Balance + volume, b.Locked, b.AvgBuyPrice);
        }
        else
        {
            _balances[quote] = (q.Balance + funds - fee, q.Locked, q.AvgBuyPrice);
            _balances[coin] = (b.Balance - volume, b.Locked, b.AvgBuyPrice);
        }
        order.State = "done";
        order.ExecutedVolume = volume;
        order.ExecutedFunds = funds;
        order.PaidFee = fee;
        order.TradePrice = tradePrice;
    }

    private (decimal Balance, decimal Locked, decimal AvgBuyPrice) Balance(string currency) =>
        _balances.TryGetValue(currency, out var b) ? b : (0m, 0m, 0m);

    private static string? Param(IRequestMessage request, string name)
    {
        foreach (var pair in (request.RawQuery ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0 && pair[..separator] == name)
            {
                return Uri.UnescapeDataString(pair[(separator + 1)..]);
            }
        }
        return null;
    }

    private static string Format(decimal value) => value.ToString("0.################", CultureInfo.InvariantCulture);

    private static Dictionary<string, object> Error(string name, string message) =>
        new() { ["error"] = new Dictionary<string, string> { ["name"] = name, ["message"] = message } };

    private static ResponseMessage Json(int status, object body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData
            {
                BodyAsString = JsonSerializer.Serialize(body),
                DetectedBodyType = BodyType.String,
                Encoding = Encoding.UTF8,
            },
        };
        response.AddHeader("Content-Type", "application/json; charset=utf-8");
        return response;
    }

    private static ResponseMessage WithRetryAfter(ResponseMessage response, int seconds)
    {
        response.AddHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        return response;
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private sealed class OrderState
    {
        public required string Uuid { get; init; }
        public string? Identifier { get; init; }
        public required string Market { get; init; }
        public required string Side { get; init; }
        public required string OrdType { get; init; }
        public decimal? Price { get; init; }
        public decimal? Volume { get; init; }
        public string State { get; set; } = "wait";
        public decimal ExecutedVolume { get; set; }
        public decimal ExecutedFunds { get; set; }
        public decimal PaidFee { get; set; }
        public decimal TradePrice { get; set; }
        public int Lookups { get; set; }
        public int? CancelPendingLookups { get; set; }
        public DateTimeOffset CreatedAt { get; init; }

        public FakeOrder Snapshot() =>
            new(Uuid, Identifier, Market, Side, OrdType, Price, Volume, State, ExecutedVolume, ExecutedFunds, PaidFee, CreatedAt);

        public Dictionary<string, object?> ToWire() => new()
        {
            ["uuid"] = Uuid,
            ["side"] = Side,
            ["ord_type"] = OrdType,
            ["price"] = Price is { } p ? Format(p) : null,
            ["state"] = State,
            ["market"] = Market,
            ["created_at"] = CreatedAt.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["volume"] = Volume is { } v ? Format(v) : null,
            ["remaining_volume"] = Volume is { } rv ? Format(rv - ExecutedVolume) : null,
            ["reserved_fee"] = "0",
            ["remaining_fee"] = "0",
            ["paid_fee"] = Format(PaidFee),
            ["locked"] = "0",
            ["executed_volume"] = Format(ExecutedVolume),
            ["executed_funds"] = Format(ExecutedFunds),
            ["trades_count"] = ExecutedVolume > 0 ? 1 : 0,
            ["identifier"] = Identifier,
            ["trades"] = ExecutedVolume > 0
                ? new[] { new Dictionary<string, object> { ["market"] = Market, ["price"] = Format(TradePrice), ["volume"] = Format(ExecutedVolume), ["funds"] = Format(ExecutedFunds), ["side"] = Side } }
                : Array.Empty<Dictionary<string, object>>(),
        };
    }
}
