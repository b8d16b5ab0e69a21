namespace PolicyService.Server.Domain;

// Every failure the API reports to a caller, raised wherever it is found (validation, planning, storage) and mapped to a
// gRPC status in one place (Api/ErrorMappingInterceptor).

/// <summary>The request broke one or more field rules: INVALID_ARGUMENT with a BadRequest.</summary>
public sealed class InvalidRequestException(IReadOnlyList<FieldViolation> violations)
    : Exception(string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
}

/// <summary>No resource has the id the caller gave: NOT_FOUND.</summary>
public sealed class ResourceNotFoundException(string resourceType, string id) : Exception($"No {resourceType} has id '{id}'.")
{
    public string ResourceType { get; } = resourceType;
    public string Id { get; } = id;
}

/// <summary>The current version differs from the one the caller edited (ABORTED), or a created id exists already.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException(string resourceType, string id, string? expected, int actual)
        : base(expected is "" ? $"{resourceType} '{id}' already exists (version {actual})."
            : actual == 0 ? $"{resourceType} '{id}' does not exist."
            : $"{resourceType} '{id}' is at version {actual}, not {expected}: someone else changed it; reload and retry.")
    {
        ResourceType = resourceType;
        Id = id;
        ActualVersion = actual;
        AlreadyExists = expected is "" && actual > 0;
        Missing = actual == 0 && expected is not "";
    }

    public string ResourceType { get; }
    public string Id { get; }
    public int ActualVersion { get; }
    public bool AlreadyExists { get; }
    public bool Missing { get; }
}

/// <summary>The database cannot be reached now: UNAVAILABLE, and the caller may retry.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The database refuses this process's configuration (a wrong login or password, a database that does not exist, a TLS
/// or certificate mismatch): retrying cannot help, an operator must fix <see cref="Setting"/>. Callers get
/// FAILED_PRECONDITION with reason DATABASE_MISCONFIGURED, never UNAVAILABLE.
/// </summary>
public sealed class StoreMisconfiguredException(string reason, Exception inner)
    : Exception($"The policy database refused the configured connection ({reason}). Fix {Setting}.", inner)
{
    /// <summary>The configuration key to fix.</summary>
    public const string Setting = "ConnectionStrings:Policy";

    /// <summary>What is wrong, e.g. "login failed", in a few words.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The request message, counted after decompression, is larger than its RPC family allows: RESOURCE_EXHAUSTED.</summary>
public sealed class MessageTooLargeException(string limitName, long limitBytes, string advice)
    : Exception($"The request message exceeds {limitName} ({limitBytes} bytes, counted after decompression). {advice}".TrimEnd())
{
    public string LimitName { get; } = limitName;
    public long LimitBytes { get; } = limitBytes;
}

/// <summary>The request is not a well-formed message of the method's request type: INVALID_ARGUMENT.</summary>
public sealed class MalformedRequestException(string message) : Exception(message);

/// <summary>The call has no accepted credentials (UNAUTHENTICATED) or lacks the needed role (PERMISSION_DENIED).</summary>
public sealed class CallerNotAuthorizedException(bool authenticated)
    : Exception(authenticated ? "The caller lacks the role this method needs." : "This method needs credentials: a bearer token or a client certificate the service trusts.")
{
    public bool Authenticated { get; } = authenticated;
}

/// <summary>Too many change feed subscriptions are open, for the caller or in all: RESOURCE_EXHAUSTED.</summary>
public sealed class TooManySubscribersException(string limitName, int limit)
    : Exception($"Too many change feed subscriptions are open ({limitName} is {limit}); close one or retry later.")
{
    public string LimitName { get; } = limitName;
    public int Limit { get; } = limit;
}
