using Microsoft.AspNetCore.StaticFiles;

namespace PolicyService.Server.Hosting;

/// <summary>
/// The security headers of the analysts' page and its assets: scripts and styles only from this server's own files (the
/// page has no inline script or style), answers fetched only from this origin, never framed, no content-type guessing,
/// and no referrer sent to the sources it links to.
/// </summary>
public static class PageHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static StaticFileOptions StaticFiles() => new()
    {
        OnPrepareResponse = file =>
        {
            var headers = file.Context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate it
            headers["Referrer-Policy"] = "no-referrer";
        },
    };
}
