using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Functions;

/// <summary>
/// The worker's start-up failure as one line for stderr. Under <c>func start</c> a worker that throws at start-up
/// is restarted by the host, and the user sees "Exceeded language worker restart retry count" while the exception
/// (a stack trace, the setting's name somewhere inside) shows only on stop. Written first, one line, the cause is the
/// first thing of ours the user reads, every time the host retries.
/// </summary>
public static class StartupFailure
{
    public const string Prefix = "BitcoinAutoTrading.Functions cannot start: ";

    /// <summary>
    /// One line naming the cause: for a configuration error, every failed setting's message (they name the setting);
    /// otherwise the exception's type and message, with the transport failure behind it when there is one.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var cause = Unwrap(exception);
        var text = cause is OptionsValidationException invalid
            ? string.Join(" ", invalid.Failures)
            : $"{cause.GetType().Name}: {cause.Message}"
              + (Infrastructure.Exchange.TransportFailure.Describe(cause) is { } transport ? $" ({transport})" : "");
        return Prefix + string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Whether the failure is a setting the user must fix (the one line says all there is to say).</summary>
    public static bool IsConfigurationError(Exception exception) => Unwrap(exception) is OptionsValidationException;

    /// <summary>
    /// The exception that says what is wrong: an options validation failure anywhere in the chain, otherwise the first
    /// exception that is not a mere wrapper (aggregate, reflection) — its message has the context the inner ones lack.
    /// </summary>
    private static Exception Unwrap(Exception exception)
    {
        Exception? meaningful = null;
        for (Exception? current = exception; current is not null;
             current = current is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[0] : current.InnerException)
        {
            if (current is OptionsValidationException)
            {
                return current;
            }
            if (meaningful is null && current is not (AggregateException or System.Reflection.TargetInvocationException))
            {
                meaningful = current;
            }
        }
        return meaningful ?? exception;
    }
}
