using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BitcoinAutoTrading.IntegrationTests.EndToEnd;

/// <summary>A Slack incoming webhook over real HTTP: accepts every post with "ok" and keeps the texts.</summary>
internal sealed class SlackFake : IDisposable
{
    /// <summary>The part of the webhook URL that authorises posting, as in Slack's real URLs.</summary>
    public const string Secret = "e2eWebhookSecret0123456789";

    private const string Path = "/services/T000/B000/" + Secret;
    private readonly WireMockServer _server = WireMockServer.Start();

    public SlackFake() =>
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));

    public string WebhookUrl => _server.Url + Path;

    public IReadOnlyList<string> Texts => _server.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("text").GetString()!)
        .ToList();

    public void Dispose() => _server.Stop();
}
