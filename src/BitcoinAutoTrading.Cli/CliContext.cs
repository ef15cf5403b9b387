using Npgsql;

namespace BitcoinAutoTrading.Cli;

/// <summary>Where a command writes and what environment it sees; tests pass their own.</summary>
internal sealed class CliContext(
    TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? environment = null, TimeProvider? clock = null)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Null: the process environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; } = environment;

    /// <summary>Today, for what depends on it (the purge horizon an import warns about).</summary>
    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    /// <summary>Runs a command body: an operator's mistake prints one line and exits non-zero, never a stack trace.</summary>
    public async Task<int> RunAsync(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body().ConfigureAwait(false);
            return 0;
        }
        catch (CliException ex)
        {
            await Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (BitcoinAutoTrading.Core.Backtesting.BacktestInputException ex)
        {
            await Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            await Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
