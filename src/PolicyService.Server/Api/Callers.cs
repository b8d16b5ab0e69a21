using System.Security.Claims;

namespace PolicyService.Server.Api;

/// <summary>Who may call what (the authorization policies Hosting defines), and who a caller is.</summary>
public static class Callers
{
    /// <summary>Writes: the editor role, or a client certificate from the configured CA.</summary>
    public const string EditorPolicy = "editor";

    /// <summary>Reads, when Auth:RequireReaderForLookups is set: the reader or editor role.</summary>
    public const string ReaderPolicy = "reader";

    /// <summary>Who is making a change: the token's subject, or the certificate's.</summary>
    public static string Subject(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? user.Identity?.Name ?? "unknown";
}
