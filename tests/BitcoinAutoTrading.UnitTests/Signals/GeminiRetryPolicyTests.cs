using System.Net;
using System.Net.Http.Headers;
using BitcoinAutoTrading.Infrastructure.Ai.Gemini;
using Microsoft.Extensions.Time.Testing;

namespace BitcoinAutoTrading.UnitTests.Signals;

public sealed class GeminiRetryPolicyTests
{
    private const string RetryInfoBody = """
        {"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generate_content_free_tier_requests"}]},
          {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"34.5s"}]}}
        """;

    [Theory]
    [InlineData(RetryInfoBody, 34.5)]
    [InlineData("""{"error":{"code":503,"status":"UNAVAILABLE","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}}""", 2.0)]
    public void RetryInfoDelay_GoogleErrorBody_ReadsRetryDelay(string body, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), GeminiRetryPolicy.RetryInfoDelay(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"error":{"code":503,"status":"UNAVAILABLE"}}""")]
    [InlineData("""{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"soon"}]}}""")]
    public void RetryInfoDelay_NothingUsable_Null(string body)
    {
        Assert.Null(GeminiRetryPolicy.RetryInfoDelay(body));
    }

    [Fact]
    public async Task ToldDelayAsync_RetryAfterHeaderWins_OverBody()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(RetryInfoBody) };
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), await GeminiRetryPolicy.ToldDelayAsync(response, TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task ToldDelayAsync_RetryAfterDate_RelativeToClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("") };
        response.Headers.RetryAfter = new RetryConditionHeaderValue(new DateTimeOffset(2026, 1, 15, 12, 0, 7, TimeSpan.Zero));

        Assert.Equal(TimeSpan.FromSeconds(7), await GeminiRetryPolicy.ToldDelayAsync(response, clock, CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void IsTransient_StatusCodes(HttpStatusCode status, bool expected)
    {
        Assert.Equal(expected, GeminiRetryPolicy.IsTransient(status));
    }

    private const string PerDayBody = """
        {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
          {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}
        """;

    private const string PerMinuteBody = """
        {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
          {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}}
        """;

    [Theory]
    [InlineData(PerDayBody, true)]
    [InlineData(PerMinuteBody, false)]
    [InlineData(RetryInfoBody, false)]
    [InlineData("not json", false)]
    public void IsPerDayQuota_QuotaFailureBody_TrueOnlyForPerDayQuotaIds(string body, bool perDay)
    {
        Assert.Equal(perDay, GeminiRetryPolicy.IsPerDayQuota(body));
    }

    [Fact]
    public async Task ShouldRetryAsync_PerDay429WithShortRetryDelay_NotRetried()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(PerDayBody) };

        var retry = await GeminiRetryPolicy.ShouldRetryAsync(
            Polly.Outcome.FromResult(response), TimeProvider.System, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.False(retry);
    }

    [Fact]
    public async Task ShouldRetryAsync_PerMinute429_RetriedAfterRetryDelay()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(PerMinuteBody) };

        Assert.True(await GeminiRetryPolicy.ShouldRetryAsync(
            Polly.Outcome.FromResult(response), TimeProvider.System, TimeSpan.FromSeconds(60), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(2), await GeminiRetryPolicy.DelayAsync(
            Polly.Outcome.FromResult(response), TimeProvider.System, CancellationToken.None));
    }
}
