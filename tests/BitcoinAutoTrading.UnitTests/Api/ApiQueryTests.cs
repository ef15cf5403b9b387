using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Functions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BitcoinAutoTrading.UnitTests.Api;

public sealed class ApiQueryTests
{
    private static ApiQuery Query(string queryString)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/signals";
        context.Request.QueryString = new QueryString(queryString);
        return new ApiQuery(context.Request);
    }

    [Fact]
    public void Int_Absent_ReturnsDefaultAndStaysValid()
    {
        var query = Query("?other=1");

        Assert.Equal(24, query.Int("hours", 1, 744, 24));
        Assert.True(query.IsValid);
    }

    [Theory]
    [InlineData("?hours=1", 1)]
    [InlineData("?hours=744", 744)]
    [InlineData("?hours=-0", 0)]
    public void Int_InRangeOrBoundary_ParsesInvariant(string queryString, int expected)
    {
        var query = Query(queryString);

        var value = query.Int("hours", 0, 744, 24);

        Assert.Equal(expected, value);
        Assert.True(query.IsValid);
    }

    [Theory]
    [InlineData("?hours=0")]
    [InlineData("?hours=745")]
    [InlineData("?hours=")]
    [InlineData("?hours")]
    [InlineData("?hours=1&hours=2")]
    [InlineData("?hours=%201")]
    [InlineData("?hours=1.0")]
    [InlineData("?hours=1e2")]
    [InlineData("?hours=2147483648")]
    public void Int_Invalid_RecordsErrorForTheField(string queryString)
    {
        var query = Query(queryString);

        query.Int("hours", 1, 744, 24);

        Assert.False(query.IsValid);
        var problem = Assert.IsType<ValidationProblemDetails>(Assert.IsType<ProblemResult>(query.Problem()).Problem);
        Assert.Equal(400, problem.Status);
        Assert.Equal("/api/signals", problem.Instance);
        Assert.Single(problem.Errors["hours"]);
    }

    [Theory]
    [InlineData("?type=buy", SignalType.Buy)]
    [InlineData("?type=HOLD", SignalType.Hold)]
    public void OptionalEnum_WireNameAnyCase_Parses(string queryString, SignalType expected)
    {
        var query = Query(queryString);

        Assert.Equal(expected, query.OptionalEnum<SignalType>("type", WireCase.UpperSnake));
        Assert.True(query.IsValid);
    }

    [Theory]
    [InlineData("?type=1")]
    [InlineData("?type=Buyy")]
    [InlineData("?type=%20BUY")]
    public void OptionalEnum_NotAWireName_RecordsErrorListingTheChoices(string queryString)
    {
        var query = Query(queryString);

        Assert.Null(query.OptionalEnum<SignalType>("type", WireCase.UpperSnake));
        var problem = Assert.IsType<ValidationProblemDetails>(Assert.IsType<ProblemResult>(query.Problem()).Problem);
        Assert.Contains("BUY, SELL, HOLD", problem.Errors["type"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void RouteId_PositiveInteger_Parses(string raw, long expected)
    {
        var query = Query("");

        Assert.Equal(expected, query.RouteId("id", raw));
        Assert.True(query.IsValid);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-7")]
    [InlineData("+7")]
    [InlineData(" 7")]
    [InlineData("7a")]
    [InlineData("9223372036854775808")]
    [InlineData("")]
    [InlineData(null)]
    public void RouteId_NotAPositiveInteger_RecordsError(string? raw)
    {
        var query = Query("");

        query.RouteId("id", raw);

        Assert.False(query.IsValid);
    }
}
