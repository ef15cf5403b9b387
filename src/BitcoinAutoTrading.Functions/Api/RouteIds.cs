namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// Route templates for an <c>{id}</c> segment that has literal siblings (<c>signals/{id}</c> next to
/// <c>signals/performance</c>). The Functions host tries routes in the order of the function names (ordinal,
/// case-insensitive) and the first match wins, so without a constraint <c>GetSignal</c> answers
/// <c>signals/performance</c> with its 400. The regex constraint refuses exactly the sibling literals, so the host
/// passes them on to their own functions, and nothing else: any other text (<c>signals/abc</c>) still reaches the
/// function, which answers the app's 400 problem naming <c>id</c>.
/// A type constraint (<c>{id:long}</c>) would end the shadowing too, but on the host a failed constraint means "no
/// route": <c>signals/abc</c> would get the host's bare 404 instead of our problem, so it is not used.
/// </summary>
public static class RouteIds
{
    /// <summary>
    /// Every literal route directly under <c>signals/</c>, as regex alternatives. A new <c>signals/xxx</c> route adds its
    /// segment here; the route-shadowing test over functions.metadata fails until it does.
    /// </summary>
    public const string SignalSiblings = "performance|generate|calibration";

    /// <summary>The <c>{id}</c> of <c>signals/{id}</c>.</summary>
    public const string SignalId = "{id:" + ExcludingPrefix + SignalSiblings + ExcludingSuffix + "}";

    // ^(?!(a|b)$) matches every value except exactly a or b (the host's regex constraint ignores case, as its literal
    // segments do). Parentheses only: braces would need escaping in a route template.
    private const string ExcludingPrefix = "regex(^(?!(";
    private const string ExcludingSuffix = ")$))";
}
