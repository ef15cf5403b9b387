using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>The API's error responses: every one is problem details, none carries a stack trace or exception text.</summary>
public static class ApiProblems
{
    public static ProblemResult Validation(HttpRequest request, IReadOnlyDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var problem = new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more request values are invalid.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        };
        return With(request, problem);
    }

    public static ProblemResult Validation(HttpRequest request, string field, string message) =>
        Validation(request, new Dictionary<string, List<string>>(StringComparer.Ordinal) { [field] = [message] });

    public static ProblemResult NotFound(HttpRequest request, string detail) =>
        Create(request, StatusCodes.Status404NotFound, "Not found.", detail, "https://tools.ietf.org/html/rfc9110#section-15.5.5");

    public static ProblemResult UnsupportedMediaType(HttpRequest request, string detail) =>
        Create(request, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", detail,
            "https://tools.ietf.org/html/rfc9110#section-15.5.16");

    public static ProblemResult Unavailable(HttpRequest request, string detail, int? retryAfterSeconds = null) =>
        Create(request, StatusCodes.Status503ServiceUnavailable, "Not available.", detail,
            "https://tools.ietf.org/html/rfc9110#section-15.6.4", retryAfterSeconds);

    public static ProblemResult TooManyRequests(HttpRequest request, string detail, int retryAfterSeconds) =>
        Create(request, StatusCodes.Status429TooManyRequests, "Too many requests.", detail,
            "https://tools.ietf.org/html/rfc6585#section-4", retryAfterSeconds);

    public static ProblemResult BadGateway(HttpRequest request, string detail) =>
        Create(request, StatusCodes.Status502BadGateway, "An upstream call failed.", detail,
            "https://tools.ietf.org/html/rfc9110#section-15.6.3");

    /// <summary>Deliberately generic: the cause is in the logs, never in the response.</summary>
    public static ProblemResult ServerError(HttpRequest request) =>
        Create(request, StatusCodes.Status500InternalServerError, "An unexpected error occurred.",
            "The request could not be completed; the error has been logged.", "https://tools.ietf.org/html/rfc9110#section-15.6.1");

    private static ProblemResult Create(
        HttpRequest request, int status, string title, string detail, string type, int? retryAfterSeconds = null) =>
        With(request, new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type }, retryAfterSeconds);

    private static ProblemResult With(HttpRequest request, ProblemDetails problem, int? retryAfterSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        problem.Instance = request.Path.HasValue ? request.Path.Value : null;
        return new ProblemResult(problem, retryAfterSeconds);
    }
}
