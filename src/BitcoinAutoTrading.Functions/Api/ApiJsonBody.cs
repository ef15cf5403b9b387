using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>A request body read as one JSON object, or why it could not be (reported under the field <c>body</c>).</summary>
internal sealed record ApiJsonBody(JsonDocument? Document, string? Error) : IDisposable
{
    public const string Field = "body";

    /// <summary>Admin bodies are a handful of settings; anything bigger is refused before parsing.</summary>
    public const int MaxBytes = 16 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    public JsonElement? Root => Document?.RootElement;

    /// <summary>Reads at most <see cref="MaxBytes"/>; an empty body is allowed only when <paramref name="allowEmpty"/>.</summary>
    public static async Task<ApiJsonBody> ReadObjectAsync(HttpRequest request, bool allowEmpty, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
        return new ApiJsonBody(document, null);
    }

    public void Dispose() => Document?.Dispose();
}
