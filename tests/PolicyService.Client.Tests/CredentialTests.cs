using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PolicyService.Client.Tests;

/// <summary>Bearer tokens, TLS and client certificates of the packed client, against a fake server that records them.</summary>
public class CredentialTests(PackedClient package)
{
    [Fact]
    public async Task A_bearer_token_is_sent_with_each_call_when_cleartext_is_explicitly_allowed()
    {
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.FailFirst(1));

        var result = await package.RunHarnessAsync("duty", "US", "CN", "850760", $"--PolicyService:Address={server.Address}",
            "--PolicyService:AllowAccessTokenWithoutTls=true", "--PolicyService:Retry:InitialBackoff=00:00:00.05", "--token=t0ken");

        Assert.Equal("OK", (string?)result["status"]);
        // Both attempts, the failed one and its retry, carried the token.
        Assert.Equal(["Bearer t0ken", "Bearer t0ken"], server.Calls.Select(c => c.Authorization));
    }

    [Fact]
    public async Task Tls_with_a_client_certificate_from_pem_files_and_a_token()
    {
        using var serverCertificate = SelfSigned("CN=127.0.0.1", server: true);
        using var clientCertificate = SelfSigned("CN=policyservice-test-client", server: false);
        var directory = Directory.CreateTempSubdirectory("policyservice-client-certs-");
        try
        {
            var certificatePath = Path.Combine(directory.FullName, "tls.crt");
            var keyPath = Path.Combine(directory.FullName, "tls.key");
            await File.WriteAllTextAsync(certificatePath, clientCertificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, clientCertificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await using var server = await FakeTariffServer.StartAsync((_, _) => Task.CompletedTask, serverCertificate);
            var https = new UriBuilder(server.Address) { Scheme = "https" }.Uri;

            var result = await package.RunHarnessAsync("duty", "US", "CN", "850760", $"--PolicyService:Address={https}",
                $"--PolicyService:ClientCertificatePath={certificatePath}", $"--PolicyService:ClientCertificateKeyPath={keyPath}",
                $"--trust-thumbprint={serverCertificate.GetCertHashString(HashAlgorithmName.SHA256)}", "--token=over-tls");

            Assert.Equal("OK", (string?)result["status"]);
            var call = Assert.Single(server.Calls);
            Assert.Equal(clientCertificate.GetCertHashString(HashAlgorithmName.SHA256), call.ClientCertificateThumbprint);
            Assert.Equal("Bearer over-tls", call.Authorization);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_server_certificate_the_client_does_not_trust_fails_the_call()
    {
        using var serverCertificate = SelfSigned("CN=127.0.0.1", server: true);
        await using var server = await FakeTariffServer.StartAsync((_, _) => Task.CompletedTask, serverCertificate);
        var https = new UriBuilder(server.Address) { Scheme = "https" }.Uri;

        var result = await package.RunHarnessAsync("duty", "US", "CN", "850760", $"--PolicyService:Address={https}");

        // A failed handshake is no transient error: it is reported at once (INTERNAL), not retried.
        Assert.Equal("Internal", (string?)result["status"]);
        Assert.Contains("SSL connection could not be established", (string?)result["detail"], StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    private static X509Certificate2 SelfSigned(string subject, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs a key it can use for the handshake; a PKCS#12 round trip gives one on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
