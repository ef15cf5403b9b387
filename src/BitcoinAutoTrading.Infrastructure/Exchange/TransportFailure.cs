using System.Net.Http;
using System.Net.Sockets;

namespace BitcoinAutoTrading.Infrastructure.Exchange;

/// <summary>
/// What actually went wrong with an outbound call, in words a trader reads in the health report: "the connection was
/// refused" is a different problem from "no answer in time". Names only the kind of failure, never a host or a key.
/// </summary>
public static class TransportFailure
{
    /// <summary>The most specific known cause in the exception chain, or null when none is recognised.</summary>
    public static string? Describe(Exception? exception)
    {
        string? found = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // The innermost cause is the most specific one (a SocketException under an HttpRequestException).
            found = Kind(current) ?? found;
            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return Describe(aggregate.InnerExceptions[0]) ?? found;
            }
        }
        return found;
    }

    private static string? Kind(Exception exception) => exception switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "the connection was refused",
            SocketError.TimedOut => "the connection attempt timed out",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name could not be resolved",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown => "the host is unreachable",
            SocketError.ConnectionReset or SocketError.ConnectionAborted => "the connection was reset",
            var code => $"a network error ({code})",
        },
        HttpRequestException http => http.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name could not be resolved",
            HttpRequestError.ConnectionError => "the connection could not be made",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before the response",
            HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
            _ => http.StatusCode is { } status ? $"the server answered {(int)status}" : null,
        },
        TimeoutException => "no answer in time",
        _ when exception.GetType().Name == "TimeoutRejectedException" => "no answer within the attempt timeout",
        _ => null,
    };
}
