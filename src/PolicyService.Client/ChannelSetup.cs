using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradePolicy.V1;

namespace PolicyService.Client;

/// <summary>Turns <see cref="PolicyServiceClientOptions"/> into channel, handler and per-call settings.</summary>
internal static class ChannelSetup
{
    public static bool UsesTls(PolicyServiceClientOptions options) => options.Address!.Scheme switch
    {
        "https" => true,
        "http" => false,
        _ => options.UseTls ?? true,
    };

    /// <summary>
    /// What a retry may send again: every method of the read services, and of the admin service only those that write
    /// nothing (GetHistory) or that a request id makes idempotent (ImportChanges). A write that timed out or lost its
    /// connection may have committed, so it is never sent twice.
    /// </summary>
    internal static IReadOnlyList<MethodName> RetriedMethods { get; } =
    [
        .. new[] { TariffService.Descriptor, ExportControlService.Descriptor, TruceService.Descriptor, SourceService.Descriptor, ProductService.Descriptor, CoverageService.Descriptor, CalendarService.Descriptor, ChangeFeedService.Descriptor }
            .Select(s => new MethodName { Service = s.FullName }),
        new MethodName { Service = PolicyAdminService.Descriptor.FullName, Method = nameof(PolicyAdminService.PolicyAdminServiceClient.GetHistory) },
        new MethodName { Service = PolicyAdminService.Descriptor.FullName, Method = nameof(PolicyAdminService.PolicyAdminServiceClient.ImportChanges) },
    ];

    /// <summary>Round-robin over the resolved addresses, and bounded retries of UNAVAILABLE with exponential backoff for <see cref="RetriedMethods"/>.</summary>
    public static ServiceConfig CreateServiceConfig(PolicyServiceRetryOptions retry)
    {
        var config = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        if (retry.MaxAttempts > 1)
        {
            var retried = new MethodConfig
            {
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = retry.MaxAttempts,
                    InitialBackoff = retry.InitialBackoff,
                    MaxBackoff = retry.MaxBackoff,
                    BackoffMultiplier = retry.BackoffMultiplier,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            };
            foreach (var name in RetriedMethods) retried.Names.Add(name);
            config.MethodConfigs.Add(retried);
        }
        return config;
    }

    public static void ConfigureChannel(GrpcChannelOptions channel, PolicyServiceClientOptions options, DnsResolution dns)
    {
        channel.ServiceConfig = CreateServiceConfig(options.Retry);
        channel.MaxRetryAttempts = Math.Max(options.Retry.MaxAttempts, 1);
        var tls = UsesTls(options);
        if (options.Address!.Scheme == "dns")
        {
            // A dns: address carries no scheme that says TLS or not, and uses this package's resolver (with refresh).
            channel.Credentials = tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
            channel.ServiceProvider = dns.Services;
        }
        // The call credentials are registered for every client; they add a header only when a token provider is set,
        // and the options validator has already refused a token over cleartext unless explicitly allowed.
        channel.UnsafeUseInsecureChannelCallCredentials = !tls;
    }

    public static void ConfigureHandler(System.Net.Http.SocketsHttpHandler handler, PolicyServiceClientOptions options)
    {
        // More than 100 concurrent calls open another HTTP/2 connection instead of queueing.
        handler.EnableMultipleHttp2Connections = true;
        // Detects connections that died silently (a pod gone, a NAT entry dropped) while calls wait on them.
        handler.KeepAlivePingDelay = TimeSpan.FromSeconds(60);
        handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(30);
        var certificate = options.ClientCertificate ?? LoadCertificate(options);
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }
        options.ConfigureHttpHandler?.Invoke(handler);
    }

    public static async Task AddAccessTokenAsync(AuthInterceptorContext context, Metadata metadata, IServiceProvider services, PolicyServiceClientOptions options)
    {
        if (options.AccessTokenProvider is not { } provider) return;
        var token = await provider(services, context.CancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(token)) metadata.Add("authorization", "Bearer " + token);
    }

    private static X509Certificate2? LoadCertificate(PolicyServiceClientOptions options)
    {
        if (options.ClientCertificatePath is not { } path) return null;
        if (options.ClientCertificateKeyPath is { } keyPath)
        {
            using var pem = X509Certificate2.CreateFromPemFile(path, keyPath);
            // A PEM key is ephemeral; re-importing as PKCS#12 gives a key every platform's TLS stack accepts.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, options.ClientCertificatePassword);
    }

    /// <summary>
    /// The resolver used for dns: addresses, kept out of the application's container so other gRPC clients of the
    /// application keep their own settings.
    /// </summary>
    internal sealed class DnsResolution(TimeSpan refreshInterval) : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection()
            .AddSingleton<ResolverFactory>(new DnsResolverFactory(refreshInterval))
            .BuildServiceProvider();

        public IServiceProvider Services => _services;

        public void Dispose() => _services.Dispose();
    }
}
