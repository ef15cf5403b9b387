using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>
/// A request body read as one JSON object, or why it could not be (reported under the field <c>body</c>). Every check a
/// body needs happens here, once, before any handler sees it: the media type, the size, the bytes (valid UTF-8), the
/// JSON, and every string and property name decodable to text (no lone surrogate escapes such as <c>\ud800</c>). A
/// body that passes can be read with <see cref="JsonElement.GetString"/> anywhere without throwing.
/// </summary>
internal sealed record ApiJsonBody(JsonDocument? Document, string? Error, int Status = StatusCodes.Status400BadRequest) : IDisposable
{
    public const string Field = "body";

    /// <summary>Admin bodies are a handful of settings; anything bigger is refused before parsing.</summary>
    public const int MaxBytes = 16 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    public JsonElement? Root => Document?.RootElement;

    /// <summary>The problem for <see cref="Error"/>: 415 for a body that is not declared as JSON, otherwise 400.</summary>
    public IActionResult Problem(HttpRequest request) => Status == StatusCodes.Status415UnsupportedMediaType
        ? ApiProblems.UnsupportedMediaType(request, Error ?? "The body must be JSON.")
        : ApiProblems.Validation(request, Field, Error ?? "The body is invalid.");

    /// <summary>Reads at most <see cref="MaxBytes"/>; an empty body is allowed only when <paramref name="allowEmpty"/>.</summary>
    /// <remarks>
    /// Media type: a declared Content-Type must be JSON (<c>application/json</c>, <c>text/json</c> or <c>*/*+json</c>,
    /// UTF-8 if a charset is given), or the answer is 415 even for an empty body. A missing Content-Type is accepted only with an
    /// empty body (a resume without a reason, as <c>curl -X POST</c> sends it); a non-empty body must say it is JSON,
    /// because every client that sends one can (curl's <c>-d</c> alone declares a form, which is refused either way),
    /// and because a browser can post an untyped body cross-site without a preflight.
    /// </remarks>
    public static async Task<ApiJsonBody> ReadObjectAsync(HttpRequest request, bool allowEmpty, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var declared = string.IsNullOrWhiteSpace(request.ContentType) ? null : request.ContentType;
        if (declared is not null && MediaTypeError(declared) is { } mediaTypeError)
        {
            return Unsupported(mediaTypeError);
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length
               && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        if (length > MaxBytes)
        {
            return new ApiJsonBody(null, $"The body must not exceed {MaxBytes} bytes.");
        }
        var bytes = buffer.AsMemory(0, length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return allowEmpty ? new ApiJsonBody(null, null) : new ApiJsonBody(null, "A JSON object body is required.");
        }
        if (declared is null)
        {
            return Unsupported("A body must be sent with Content-Type: application/json.");
        }
        if (InvalidUtf8Offset(bytes.Span) is { } offset)
        {
            return new ApiJsonBody(null, $"The body is not valid UTF-8 (byte {offset} starts an invalid sequence).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, ParseOptions);
        }
        catch (JsonException)
        {
            return new ApiJsonBody(null, "The body is not valid JSON.");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return new ApiJsonBody(null, "The body must be a JSON object.");
        }
        if (UndecodableText(document.RootElement, "") is { } path)
        {
            document.Dispose();
            return new ApiJsonBody(null,
                $"The body has text that is not valid Unicode at '{path}' (an escaped lone surrogate such as \\ud800).");
        }
        return new ApiJsonBody(document, null);
    }

    public void Dispose() => Document?.Dispose();

    private static ApiJsonBody Unsupported(string error) => new(null, error, StatusCodes.Status415UnsupportedMediaType);

    private static string? MediaTypeError(string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return $"The Content-Type '{contentType}' is not a media type; send application/json.";
        }
        // The types ASP.NET Core's own JSON input formatter reads.
        var isJson = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || type.Equals("text/json", StringComparison.OrdinalIgnoreCase)
                     || (type.EndsWith("+json", StringComparison.OrdinalIgnoreCase) && type.Contains('/', StringComparison.Ordinal));
        if (!isJson)
        {
            return $"The body must be JSON (Content-Type application/json), not '{type}'.";
        }
        var charset = media.Charset.Value;
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The body must be UTF-8 JSON, not charset '{charset}'.";
    }

    /// <summary>The offset of the first byte that does not start a valid UTF-8 sequence, or null when all are valid.</summary>
    private static int? InvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return offset;
    }

    /// <summary>
    /// The path of the first property name or string that cannot become .NET text, or null. Valid UTF-8 can still
    /// escape a lone surrogate (<c>"\ud800"</c>); the reader accepts it and only <c>GetString</c> throws, later.
    /// </summary>
    private static string? UndecodableText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path.Length == 0 ? "(a property name)" : path + ".(a property name)";
                    }
                    var childPath = path.Length == 0 ? name : path + "." + name;
                    if (UndecodableText(property.Value, childPath) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (UndecodableText(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }
            default:
                return null;
        }
    }
}
