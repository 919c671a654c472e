using System.Collections.Frozen;
using ErpFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ErpFunctions.Functions.App;

/// <summary>
/// The operator page: plain HTML, CSS and JavaScript built into the app (no build step, nothing from another origin),
/// served under <c>/app/</c> with a policy that lets the page run only its own files.
/// </summary>
public sealed class AppFunction
{
    private const string ResourcePrefix = "ErpFunctions.Functions.App.wwwroot.";

    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Assets = LoadAssets();

    [Function("App")]
    public IActionResult Serve([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "app/{*asset}")] HttpRequest request, string? asset)
    {
        if (string.IsNullOrEmpty(asset) && !request.Path.Value!.EndsWith('/'))
        {
            // The page's own files are addressed relative to /app/.
            return new RedirectResult("/app/" + request.QueryString);
        }

        var name = string.IsNullOrEmpty(asset) ? "index.html" : asset;
        if (!Assets.TryGetValue(name, out var content) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return Problems.NotFound($"The page has no file '{RequestReader.Truncate(name)}'.", "url");
        }

        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return new FileContentResult(content, contentType);
    }

    private static FrozenDictionary<string, byte[]> LoadAssets()
    {
        var assembly = typeof(AppFunction).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).ToFrozenDictionary(
            n => n[ResourcePrefix.Length..],
            n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            });
    }
}
