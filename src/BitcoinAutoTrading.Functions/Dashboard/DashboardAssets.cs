using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace BitcoinAutoTrading.Functions.Dashboard;

/// <summary>
/// One embedded file of the dashboard, with what the browser needs to cache and interpret it, and its gzip form (made
/// once at start-up) so the first load stays small: the chart library alone is 198 KB, 62 KB gzipped.
/// </summary>
public sealed record DashboardAsset(string Path, byte[] Content, string ContentType, string ETag, byte[] Gzipped)
{
    public string GzippedETag => ETag.Insert(ETag.Length - 1, "-gz");
}

/// <summary>
/// The files under <c>Dashboard/wwwroot</c>, embedded in this assembly as <c>dashboard/&lt;path&gt;</c>. Only these can be
/// served, so a request path never reaches the file system and cannot climb out of the folder.
/// </summary>
public static class DashboardAssets
{
    public const string ResourcePrefix = "dashboard/";

    public const string IndexPath = "index.html";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> Assets = new(Load);

    public static IReadOnlyCollection<string> Paths => Assets.Value.Keys;

    public static DashboardAsset? Find(string? path) =>
        path is not null && Assets.Value.TryGetValue(path.TrimStart('/'), out var asset) ? asset : null;

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // The logical name is built from the folder path; normalise a Windows build's separators.
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var path = normalized[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(System.IO.Path.GetExtension(path), out var contentType))
            {
                continue;
            }
            var content = Read(assembly, name);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            assets[path] = new DashboardAsset(path, content, contentType, etag, Gzip(content));
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write(content);
        }
        return buffer.ToArray();
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
