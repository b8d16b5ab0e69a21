namespace PolicyService.Server.Domain;

/// <summary>
/// A source's URL is a link people follow from the analysts' page and from answers: only an absolute http or https URL
/// is one (a <c>javascript:</c> or <c>data:</c> URL stored by an editor would run in the reader's browser).
/// </summary>
public static class SourceUrls
{
    public const string Rule = "must be an absolute http or https URL";

    public static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
