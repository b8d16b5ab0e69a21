using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace PolicyService.Server.Api;

/// <summary>Configuration section "Auth". No secrets live here: only public keys, a CA certificate path and names.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public JwtOptions Jwt { get; set; } = new();

    /// <summary>PEM file of the CA whose client certificates are accepted as editors; empty: certificates are not accepted.</summary>
    public string ClientCertificateCaPath { get; set; } = "";

    public string EditorRole { get; set; } = "policy.editor";

    public string ReaderRole { get; set; } = "policy.reader";

    /// <summary>When true, lookups and the change feed need the reader (or editor) role; when false they are open.</summary>
    public bool RequireReaderForLookups { get; set; }

    public sealed class JwtOptions
    {
        /// <summary>An OpenID Connect issuer to fetch signing keys from (production); or give SigningKeys.</summary>
        public string Authority { get; set; } = "";

        public string Issuer { get; set; } = "";

        public string Audience { get; set; } = "";

        /// <summary>PEM public keys (RSA or EC) that tokens may be signed with.</summary>
        public List<string> SigningKeys { get; set; } = [];

        /// <summary>The claim that carries roles.</summary>
        public string RoleClaim { get; set; } = "roles";
    }
}

/// <summary>Bearer JWTs or client certificates from a configured CA; an editor policy for writes, a reader policy for reads.</summary>
public static class Authentication
{
    public const string EditorPolicy = "editor";
    public const string ReaderPolicy = "reader";

    public static IServiceCollection AddPolicyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(options);
        var schemes = new List<string> { JwtBearerDefaults.AuthenticationScheme };

        var authentication = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            if (options.Jwt.Authority.Length > 0) jwt.Authority = options.Jwt.Authority;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Jwt.Issuer,
                ValidAudience = options.Jwt.Audience,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireSignedTokens = true,
                IssuerSigningKeys = options.Jwt.SigningKeys.Select(ReadPublicKey).ToList(),
                RoleClaimType = options.Jwt.RoleClaim,
                NameClaimType = "sub",
            };
        });

        if (options.ClientCertificateCaPath.Length > 0)
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(options.ClientCertificateCaPath));
            schemes.Add(CertificateAuthenticationDefaults.AuthenticationScheme);
            authentication.AddCertificate(certificate =>
            {
                certificate.AllowedCertificateTypes = CertificateTypes.Chained;
                certificate.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                certificate.CustomTrustStore.Add(ca);
                certificate.RevocationMode = X509RevocationMode.NoCheck;
                certificate.Events = new CertificateAuthenticationEvents
                {
                    // The handler would answer a failed certificate with 403; leave the bearer scheme's 401 (UNAUTHENTICATED) in place.
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        return Task.CompletedTask;
                    },
                    // A certificate chained to the configured CA is an editor; its subject is who made the change.
                    OnCertificateValidated = context =>
                    {
                        var subject = context.ClientCertificate.GetNameInfo(X509NameType.SimpleName, false);
                        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                            [new Claim("sub", $"cert:{subject}"), new Claim(options.Jwt.RoleClaim, options.EditorRole)],
                            context.Scheme.Name, "sub", options.Jwt.RoleClaim));
                        context.Success();
                        return Task.CompletedTask;
                    },
                };
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(EditorPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser().RequireRole(options.EditorRole))
            .AddPolicy(ReaderPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser().RequireRole(options.ReaderRole, options.EditorRole));
        return services;
    }

    /// <summary>Who is making a change: the token's subject, or the certificate's.</summary>
    public static string Subject(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? user.Identity?.Name ?? "unknown";

    private static SecurityKey ReadPublicKey(string pem)
    {
        if (TryEc(pem) is { } ec) return new ECDsaSecurityKey(ec);
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa);
    }

    private static ECDsa? TryEc(string pem)
    {
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return null;
        }
    }
}
