using BitcoinAutoTrading.IntegrationTests.Fakes;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using BitcoinAutoTrading.IntegrationTests.Persistence;

namespace BitcoinAutoTrading.IntegrationTests.Http;

/// <summary>A migrated database, the Upbit fake for public prices, and the app on <see cref="LocalFunctionsHost"/>, for one test class.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const decimal TickerPrice = 96_000_000m;

    private UpbitFake? _upbit;

    public PostgresDatabaseFixture Database { get; } = new();

    internal LocalFunctionsHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _upbit = UpbitFake.Start();
        _upbit.SetTicker(PersistenceTestData.Market, TickerPrice);
        Host = await LocalFunctionsHost.StartAsync(Database, _upbit);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        _upbit?.Dispose();
        await Database.DisposeAsync();
    }
}
