using BitcoinAutoTrading.Functions.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BitcoinAutoTrading.UnitTests.Health;

public sealed class HealthFunctionTests
{
    [Fact]
    public void Run_AnyRequest_ReturnsOkWithHealthyStatus()
    {
        var request = new DefaultHttpContext().Request;

        var result = new HealthFunction().Run(request);

        var ok = Assert.IsType<OkObjectResult>(result);
        Assert.Equal(StatusCodes.Status200OK, ok.StatusCode ?? StatusCodes.Status200OK);
        Assert.Equal(new HealthResponse("healthy"), ok.Value);
    }
}
