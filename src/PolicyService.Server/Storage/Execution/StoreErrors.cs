using System.Data.Common;
using System.Security.Authentication;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

public static class StoreErrors
{
    /// <summary>The exception to raise when a connection cannot be opened: misconfigured or (otherwise) unavailable.</summary>
    public static Exception CannotOpen(ISqlDialect dialect, Exception e) =>
        dialect.Misconfiguration(e) is { } reason
            ? new StoreMisconfiguredException(reason, e)
            : new StoreUnavailableException($"The {dialect.Name} database cannot be opened.", e);

    /// <summary>Opens the connection, classifying a failure as <see cref="CannotOpen"/> does.</summary>
    public static async Task OpenAsync(ISqlDialect dialect, DbConnection connection, CancellationToken ct)
    {
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw CannotOpen(dialect, e);
        }
    }

    /// <summary>True when a TLS handshake or certificate check failed somewhere in the exception's chain.</summary>
    public static bool IsTlsFailure(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is AuthenticationException) return true;
            if (x.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("SSL Provider", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("does not support encryption", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
