using BitcoinAutoTrading.Core.Jobs;
using BitcoinAutoTrading.Infrastructure.Persistence;
using BitcoinAutoTrading.IntegrationTests.Fixtures;
using static BitcoinAutoTrading.IntegrationTests.Persistence.PersistenceTestData;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

public sealed class JobRunRepositoryTests(PostgresDatabaseFixture db) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly JobRunRepository _repository = new(db.DataSource);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FinishAsync_RunningRun_RecordsOutcomeOnce()
    {
        var id = await _repository.StartAsync("CollectMarketData", T0, isPastDue: true);
        var running = Assert.Single(await _repository.ListAsync("CollectMarketData", 10));

        var finished = await _repository.FinishAsync(id, JobOutcome.Failed, 4, "database unavailable", T0.AddSeconds(8));
        var again = await _repository.FinishAsync(id, JobOutcome.Succeeded, 1, null, T0.AddSeconds(9));

        Assert.Equal(new JobRun(id, "CollectMarketData", T0, null, JobOutcome.Running, 0, true, null), running);
        Assert.True(finished);
        Assert.False(again);
        Assert.Equal(
            new JobRun(id, "CollectMarketData", T0, T0.AddSeconds(8), JobOutcome.Failed, 4, true, "database unavailable"),
            Assert.Single(await _repository.ListAsync("CollectMarketData", 10)));
    }

    [Fact]
    public async Task FinishAsync_RunningOutcome_Throws()
    {
        var id = await _repository.StartAsync("GenerateSignal", T0, isPastDue: false);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _repository.FinishAsync(id, JobOutcome.Running, 1, null, T0));
    }

    [Fact]
    public async Task GetLatestPerJobAsync_SeveralRuns_ReturnsNewestRunOfEachJob()
    {
        await _repository.StartAsync("CollectMarketData", T0, false);
        var newestCollect = await _repository.StartAsync("CollectMarketData", T0.AddMinutes(2), false);
        await _repository.StartAsync("CollectMarketData", T0.AddMinutes(1), false);
        var signal = await _repository.StartAsync("GenerateSignal", T0, false);
        await _repository.FinishAsync(signal, JobOutcome.Succeeded, 1, null, T0.AddSeconds(3));

        var latest = await _repository.GetLatestPerJobAsync();

        Assert.Equal([("CollectMarketData", newestCollect), ("GenerateSignal", signal)], latest.Select(r => (r.Job, r.Id)));
        Assert.Equal(JobOutcome.Succeeded, latest[1].Outcome);
    }

    [Fact]
    public async Task ListAsync_JobAndLimit_NewestFirstOfThatJobOnly()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _repository.StartAsync("PurgeMarketData", T0.AddDays(i), false));
        }
        await _repository.StartAsync("RollDailyStats", T0.AddDays(9), false);

        var runs = await _repository.ListAsync("PurgeMarketData", 3);

        Assert.Equal([ids[4], ids[3], ids[2]], runs.Select(r => r.Id));
    }
}
