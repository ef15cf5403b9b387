using BitcoinAutoTrading.Core;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.Infrastructure;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services.AddCore();
builder.AddInfrastructure();
builder.AddFunctionsHost();

builder.Build().Run();
