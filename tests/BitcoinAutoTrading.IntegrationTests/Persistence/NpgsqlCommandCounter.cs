using System.Diagnostics;

namespace BitcoinAutoTrading.IntegrationTests.Persistence;

/// <summary>
/// Counts the commands Npgsql sends to one database, from its own tracing (ActivitySource "Npgsql"), so a test can
/// prove how many round trips an operation took. Other test classes run against other databases and are ignored.
/// </summary>
internal sealed class NpgsqlCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly string _database;
    private readonly List<string> _commands = [];

    public NpgsqlCommandCounter(string database)
    {
        _database = database;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands)
            {
                return _commands.ToList();
            }
        }
    }

    private void Record(Activity activity)
    {
        if (activity.GetTagItem("db.namespace") as string != _database || activity.GetTagItem("db.query.text") is not string text)
        {
            return;
        }
        lock (_commands)
        {
            _commands.Add(text);
        }
    }

    public void Dispose() => _listener.Dispose();
}
