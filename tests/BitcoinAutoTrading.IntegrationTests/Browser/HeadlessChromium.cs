using PuppeteerSharp;

namespace BitcoinAutoTrading.IntegrationTests.Browser;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium, or BAT_CHROMIUM) as every browser test launches it: one place for the
/// path check and the flags, shared by the dashboard's and the backtest report's tests.
/// </summary>
internal static class HeadlessChromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("BAT_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath),
            $"Chromium not found at {ExecutablePath}: install Debian's package (apt-get install -y chromium; .ci/run does) or set BAT_CHROMIUM.");
        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // The machine is shared and slow: generous, and the tests assert outcomes rather than timings.
            Timeout = 120_000,
            ProtocolTimeout = 180_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-US",
            ],
        });
    }
}
