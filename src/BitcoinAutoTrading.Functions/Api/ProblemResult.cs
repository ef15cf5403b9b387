using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// An RFC 7807 problem written as <c>application/problem+json</c>, optionally with <c>Retry-After</c> (seconds), which
/// is set while the response is formatted so the header travels with the body however the host executes the result.
/// </summary>
public sealed class ProblemResult : ObjectResult
{
    public ProblemResult(ProblemDetails problem, int? retryAfterSeconds = null)
        : base(problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        StatusCode = problem.Status;
        RetryAfterSeconds = retryAfterSeconds;
        ContentTypes.Add("application/problem+json");
    }

    public ProblemDetails Problem => (ProblemDetails)Value!;

    public int? RetryAfterSeconds { get; }

    public override void OnFormatting(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        base.OnFormatting(context);
        if (RetryAfterSeconds is { } seconds)
        {
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
    }
}
