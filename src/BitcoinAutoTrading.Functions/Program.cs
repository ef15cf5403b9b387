using BitcoinAutoTrading.Core;
using BitcoinAutoTrading.Functions;
using BitcoinAutoTrading.Infrastructure;
using BitcoinAutoTrading.Infrastructure.Observability;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services.AddCore();
builder.AddInfrastructure();
builder.AddFunctionsHost();
// Last: wraps every logger provider registered above so no secret reaches a log (R7).
builder.Services.AddSecretRedaction();

builder.Build().Run();
