namespace BitcoinAutoTrading.IntegrationTests.Fixtures;

/// <summary>Files of the repository the tests read or write (the README, docs/): found by walking up to the solution.</summary>
public static class RepositoryFiles
{
    public static string PathOf(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BitcoinAutoTrading.Functions.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        return Path.Combine([directory!.FullName, .. parts]);
    }
}
