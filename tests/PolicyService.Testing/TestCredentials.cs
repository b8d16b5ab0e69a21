using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PolicyService.Testing;

/// <summary>Keys and tokens minted by the tests themselves: nothing secret lives in the repository.</summary>
public sealed class TestCredentials : IDisposable
{
    public const string Issuer = "https://issuer.policyservice.test";
    public const string Audience = "policyservice";
    public const string Editor = "policy.editor";
    public const string Reader = "policy.reader";

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);

    /// <summary>Server settings that trust this issuer's public key.</summary>
    public IEnumerable<KeyValuePair<string, string>> ServerSettings(bool requireReaderForLookups = false) =>
    [
        new("Auth:Jwt:Issuer", Issuer),
        new("Auth:Jwt:Audience", Audience),
        new("Auth:Jwt:SigningKeys:0", _key.ExportSubjectPublicKeyInfoPem()),
        new("Auth:RequireReaderForLookups", requireReaderForLookups ? "true" : "false"),
    ];

    /// <summary>A signed token for the subject with the roles; <paramref name="untrusted"/> signs with a key the server does not know.</summary>
    public string Token(string subject, IEnumerable<string> roles, TimeSpan? lifetime = null, bool untrusted = false)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(untrusted ? _otherKey : _key), SecurityAlgorithms.RsaSha256),
        });
    }

    public static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    /// <summary>A throwaway certificate authority and certificates it signs, for TLS and client-certificate tests.</summary>
    public static X509Certificate2 CreateAuthority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public static X509Certificate2 Issue(X509Certificate2 authority, string name, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }
}
