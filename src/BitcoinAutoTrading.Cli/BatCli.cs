using System.CommandLine;
using BitcoinAutoTrading.Cli.Commands;

namespace BitcoinAutoTrading.Cli;

/// <summary>The <c>bat</c> command tree: migrate, import, backtest, sweep.</summary>
internal static class BatCli
{
    public static RootCommand Build(CliContext context)
    {
        var common = new CommonOptions();
        var root = new RootCommand("bat — operator tool of BitcoinAutoTrading.Functions: migrate, import, backtest, sweep.");
        root.Add(MigrateCommand.Create(common, context));
        root.Add(ImportCommand.Create(common, context));
        root.Add(BacktestCommand.Create(common, context));
        root.Add(SweepCommand.Create(common, context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken)
            .ConfigureAwait(false);
    }
}
