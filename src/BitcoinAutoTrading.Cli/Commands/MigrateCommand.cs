using System.CommandLine;
using System.Globalization;
using BitcoinAutoTrading.Infrastructure.Persistence;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary><c>bat migrate</c>: applies the embedded migrations without starting the Functions host.</summary>
internal static class MigrateCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var command = new Command("migrate", "Apply pending database migrations (journaled, under an advisory lock) and exit.");
        common.AddTo(command);
        command.SetAction(async (parse, ct) => await context.RunAsync(async () =>
        {
            var configuration = common.Configuration(parse, context);
            await using var dataSource = await CliDatabase.OpenAsync(configuration, ct).ConfigureAwait(false);
            var applied = await new DatabaseMigrator(dataSource).MigrateAsync(ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync(applied.Count == 0
                ? "Database is up to date."
                : $"Applied migrations: {string.Join(", ", applied.Select(v => v.ToString("D4", CultureInfo.InvariantCulture)))}"
                  + (HasGaps() ? " (gaps in the numbering are expected: numbers are reserved per change; see README)." : ".")).ConfigureAwait(false);
        }).ConfigureAwait(false));
        return command;
    }

    // A reader of the list would otherwise think a migration (e.g. 0002) is missing; DatabaseMigrator explains the gap.
    private static bool HasGaps()
    {
        var versions = DatabaseMigrator.EmbeddedMigrations.Select(m => m.Version).ToList();
        return versions.Count > 0 && versions[^1] - versions[0] + 1 != versions.Count;
    }
}
