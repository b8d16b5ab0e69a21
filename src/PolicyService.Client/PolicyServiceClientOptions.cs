using System.Security.Cryptography.X509Certificates;

namespace PolicyService.Client;

/// <summary>
/// How the PolicyService clients connect and call. Bind it from configuration
/// (<see cref="DefaultSectionName"/>) or set it in code with <c>AddPolicyServiceClient(options => …)</c>.
/// </summary>
public sealed class PolicyServiceClientOptions
{
    /// <summary>The configuration section read by <c>AddPolicyServiceClient(IConfiguration)</c>: <c>PolicyService</c>.</summary>
    public const string DefaultSectionName = "PolicyService";

    /// <summary>
    /// Where the service is. <c>http://host:port</c> is HTTP/2 without TLS, <c>https://host:port</c> is TLS, and
    /// <c>dns:///host:port</c> resolves every address of the name and spreads calls over them round-robin (for a
    /// Kubernetes headless Service, e.g. <c>dns:///policyservice-headless.trade.svc.cluster.local:8080</c>).
    /// </summary>
    public Uri? Address { get; set; }

    /// <summary>
    /// Whether to use TLS. For <c>http</c> and <c>https</c> addresses the scheme decides and this may be left unset;
    /// for <c>dns</c> addresses it defaults to <see langword="true"/> — set <see langword="false"/> for HTTP/2 cleartext.
    /// </summary>
    public bool? UseTls { get; set; }

    /// <summary>
    /// The deadline given to every call that does not set its own (10 seconds by default). Retries happen within it,
    /// and the server stops working on the call once it passes.
    /// </summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of calls that fail with UNAVAILABLE.</summary>
    public PolicyServiceRetryOptions Retry { get; } = new();

    /// <summary>How often a <c>dns</c> address is resolved again to find added or removed servers (30 seconds by default).</summary>
    public TimeSpan DnsRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Returns the bearer token sent as <c>authorization: Bearer …</c> with each call. It is asked on every call,
    /// so it should cache tokens itself. Needs TLS unless <see cref="AllowAccessTokenWithoutTls"/> is set.
    /// </summary>
    public Func<IServiceProvider, CancellationToken, ValueTask<string>>? AccessTokenProvider { get; set; }

    /// <summary>
    /// Sends the access token over HTTP/2 cleartext too — only for a network that is encrypted by other means, such as
    /// a service mesh sidecar. <see langword="false"/> by default.
    /// </summary>
    public bool AllowAccessTokenWithoutTls { get; set; }

    /// <summary>A client certificate presented during the TLS handshake (mutual TLS), set in code.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// A client certificate file: PEM when <see cref="ClientCertificateKeyPath"/> names its PEM private key (as a
    /// Kubernetes TLS secret mounts them), otherwise PKCS#12 (.pfx) protected by <see cref="ClientCertificatePassword"/>.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM private key of the certificate at <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientCertificateKeyPath { get; set; }

    /// <summary>The password of the PKCS#12 file at <see cref="ClientCertificatePath"/>, if any.</summary>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>
    /// Adjusts the HTTP handler of the channels after the options above are applied: proxies, server certificate
    /// validation for a private CA, connection limits. Setting <c>ConnectCallback</c> disables load balancing.
    /// </summary>
    public Action<System.Net.Http.SocketsHttpHandler>? ConfigureHttpHandler { get; set; }
}

/// <summary>
/// Retries through the gRPC service config: a call that fails with UNAVAILABLE is sent again after a randomised,
/// growing backoff, as long as attempts and the call's deadline remain. Only reads are retried, and of the admin
/// writes only ImportChanges, whose request id makes a repeat harmless: a retry never repeats a side effect.
/// </summary>
public sealed class PolicyServiceRetryOptions
{
    /// <summary>Attempts per call, the first included: 1 turns retries off, gRPC allows at most 5. 4 by default.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The upper bound of the first backoff (200 ms by default); each wait is random below its bound.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest backoff bound (2 seconds by default).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The factor each backoff bound grows by (2 by default).</summary>
    public double BackoffMultiplier { get; set; } = 2;
}
