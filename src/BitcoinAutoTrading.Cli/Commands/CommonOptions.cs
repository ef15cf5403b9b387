using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace BitcoinAutoTrading.Cli.Commands;

/// <summary>Flags every command shares: where the settings come from.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "PostgreSQL connection string (overrides ConnectionStrings__Postgres and local.settings.json).",
    };

    public Option<string?> Settings { get; } = new("--settings")
    {
        Description = $"local.settings.json to read Values from (default: ./local.settings.json or {CliSettings.DefaultLocalSettings} when present).",
    };

    public void AddTo(Command command)
    {
        command.Add(Connection);
        command.Add(Settings);
    }

    public IConfiguration Configuration(System.CommandLine.ParseResult parse, CliContext context) =>
        CliSettings.Build(parse.GetValue(Settings), parse.GetValue(Connection), context.Environment);
}
