using System.Net;
using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Infrastructure.Exchange.Upbit;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace BitcoinAutoTrading.UnitTests.Exchange;

public sealed class UpbitProtocolTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RemainingReq_FullHeader_Parsed()
    {
        Assert.True(RemainingReqHeader.TryParse("group=default; min=1800; sec=29", Now, out var remaining));

        Assert.Equal(new RemainingRequests("default", 1800, 29, Now), remaining);
    }

    [Fact]
    public void RemainingReq_WithoutMinute_Parsed()
    {
        Assert.True(RemainingReqHeader.TryParse("group=order; sec=7", Now, out var remaining));

        Assert.Equal(("order", (int?)null, 7), (remaining.Group, remaining.PerMinute, remaining.PerSecond));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("group=default; min=1800")]
    public void RemainingReq_Unusable_NotParsed(string? value) =>
        Assert.False(RemainingReqHeader.TryParse(value, Now, out _));

    [Theory]
    [InlineData("""{"error":{"name":"too_many_requests","message":"Blocked for 300 seconds"}}""", 300)]
    [InlineData("""{"error":{"message":"60초 동안 요청이 제한됩니다"}}""", 60)]
    [InlineData("""{"error":{"message":"slow down"}}""", null)]
    public void BlockDuration_FromBody_FindsSeconds(string body, int? seconds) =>
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), UpbitBlockDuration.FromBody(body));

    [Theory]
    [InlineData("wait", ExchangeOrderState.Open)]
    [InlineData("watch", ExchangeOrderState.Open)]
    [InlineData("done", ExchangeOrderState.Done)]
    [InlineData("cancel", ExchangeOrderState.Cancelled)]
    public void ParseState_UpbitStrings_MappedToDomain(string wire, ExchangeOrderState state) =>
        Assert.Equal(state, UpbitWireMapping.ParseState(wire));

    [Fact]
    public void ParseState_UnknownEndingSuchAsPrevented_FinalNotAnException()
    {
        // Changed with issue #12: an unknown state used to throw and crash the polling step.
        Assert.Equal(ExchangeOrderState.Unrecognized, UpbitWireMapping.ParseState("prevented"));
        Assert.True(new ExchangeOrder("u", "i", "KRW-BTC", OrderSide.Buy, OrderType.Price, UpbitWireMapping.ParseState("prevented"),
            10_000m, null, 0m, 0m, 0m, DateTimeOffset.UnixEpoch).IsFinal);
    }

    [Theory]
    [InlineData(CandleInterval.Minute1, "minutes/1")]
    [InlineData(CandleInterval.Hour1, "minutes/60")]
    [InlineData(CandleInterval.Hour4, "minutes/240")]
    [InlineData(CandleInterval.Day, "days")]
    [InlineData(CandleInterval.Week, "weeks")]
    public void CandlePath_Interval_UpbitRoute(CandleInterval interval, string path) =>
        Assert.Equal(path, UpbitQuotationClient.PathFor(interval));

    [Theory]
    [InlineData("GET", 500, null, true)]
    [InlineData("GET", 503, null, true)]
    [InlineData("GET", 429, 1, true)]
    [InlineData("GET", 429, 600, false)]
    [InlineData("GET", 418, 60, false)]
    [InlineData("GET", 400, null, false)]
    [InlineData("POST", 500, null, false)]
    [InlineData("POST", 429, 1, false)]
    [InlineData("DELETE", 503, null, false)]
    public void ShouldRetry_ByMethodAndStatus_OnlyTransientGets(string method, int status, int? retryAfterSeconds, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.upbit.com/v1/x");
        using var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request };
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }
        var context = ResilienceContextPool.Shared.Get();

        Assert.Equal(expected, UpbitResilience.ShouldRetry(Outcome.FromResult(response), context, TimeSpan.FromSeconds(30)));
        ResilienceContextPool.Shared.Return(context);
    }

    [Fact]
    public void ShouldRetry_PostTimeout_NeverRetried()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.upbit.com/v1/orders");
        var context = ResilienceContextPool.Shared.Get();
        context.SetRequestMessage(request);

        Assert.False(UpbitResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), context, TimeSpan.FromSeconds(30)));
        ResilienceContextPool.Shared.Return(context);
    }
}
