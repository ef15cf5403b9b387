using BitcoinAutoTrading.Cli;

// dotnet run --project src/BitcoinAutoTrading.Cli -- <migrate|import|backtest|sweep> [--help]
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await BatCli.RunAsync(args, new CliContext(Console.Out, Console.Error), cancel.Token);
