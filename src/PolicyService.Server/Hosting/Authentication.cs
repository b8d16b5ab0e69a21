using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

using Microsoft.Extensions.Options;
using PolicyService.Server.Api;

namespace PolicyService.Server.Hosting;

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

    /// <summary>True when callers can prove who they are (tokens or client certificates are configured).</summary>
    public bool IsConfigured => Jwt.Issuer.Length > 0 || Jwt.Authority.Length > 0 || Jwt.SigningKeys.Count > 0 || ClientCertificateCaPath.Length > 0;

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
    public static IServiceCollection AddPolicyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBoundOptions<AuthOptions>(AuthOptions.Section);
        var schemes = new List<string> { JwtBearerDefaults.AuthenticationScheme };

        var authentication = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, bound) =>
        {
            var options = bound.Value;
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

        // Whether the certificate scheme exists at all is decided once, at registration; its settings come from the bound options.
        if (!string.IsNullOrEmpty(configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.ClientCertificateCaPath)}"]))
        {
            schemes.Add(CertificateAuthenticationDefaults.AuthenticationScheme);
            authentication.AddCertificate();
            services.AddOptions<CertificateAuthenticationOptions>(CertificateAuthenticationDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((certificate, bound) =>
            {
                var options = bound.Value;
                var ca = X509Certificate2.CreateFromPem(File.ReadAllText(options.ClientCertificateCaPath));
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

        services.AddAuthorization();
        services.AddSingleton<RecordedIdentities>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((authorization, bound) =>
        {
            var options = bound.Value;
            authorization.AddPolicy(Callers.EditorPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser().RequireRole(options.EditorRole));
            authorization.AddPolicy(Callers.ReaderPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser().RequireRole(options.ReaderRole, options.EditorRole));
        });
        return services;
    }

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
