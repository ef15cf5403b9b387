using System.Text;
using BitcoinAutoTrading.Functions.Api;
using Microsoft.AspNetCore.Http;

namespace BitcoinAutoTrading.IntegrationTests.Api;

/// <summary>The media types and bodies <see cref="ApiJsonBody"/> lets through; the refusals are in <see cref="ApiFuzzTests"/>.</summary>
public sealed class ApiJsonBodyTests
{
    private static HttpRequest Request(string? contentType, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return context.Request;
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    [InlineData("text/json")]
    [InlineData("application/merge-patch+json")]
    public async Task ReadObjectAsync_JsonMediaType_ReadsTheObject(string contentType)
    {
        using var body = await ApiJsonBody.ReadObjectAsync(Request(contentType, "{\"reason\":\"caf\\u00e9 \\ud83d\\ude00\"}"), allowEmpty: false, CancellationToken.None);

        Assert.Null(body.Error);
        Assert.Equal("café 😀", body.Root!.Value.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ReadObjectAsync_EmptyBodyWithoutContentType_IsAnAllowedEmptyBody()
    {
        using var body = await ApiJsonBody.ReadObjectAsync(Request(null, ""), allowEmpty: true, CancellationToken.None);

        Assert.Null(body.Error);
        Assert.Null(body.Root);
    }

    [Fact]
    public async Task ReadObjectAsync_EmptyBodyDeclaredAsText_Is415()
    {
        using var body = await ApiJsonBody.ReadObjectAsync(Request("text/plain", ""), allowEmpty: true, CancellationToken.None);

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, body.Status);
        Assert.Contains("text/plain", body.Error, StringComparison.Ordinal);
    }
}
