using BitcoinAutoTrading.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Infrastructure.Jobs;

public static class JobsRegistration
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobRetryOptions>()
            .BindConfiguration(JobRetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IJobRunner, JobRunner>();
        return builder;
    }
}
