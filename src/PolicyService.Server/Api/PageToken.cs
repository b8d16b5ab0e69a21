using System.Security.Cryptography;
using System.Text;

namespace PolicyService.Server.Api;

/// <summary>
/// Opaque keyset tokens: the last id of the page, bound to the filters that produced it and signed with an HMAC key
/// (PageTokens:Key, see README), so a forged or altered token, or one reused with other filters, is rejected.
/// </summary>
public static class PageToken
{
    private const string Version = "v2";

    private static byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// The key tokens are signed with: PageTokens:Key, else one derived from the database this deployment shares (only
    /// the settings the provider reads, so replicas on one SQL Server database agree whatever their SQLite path says).
    /// </summary>
    public static void UseKey(IConfiguration configuration)
    {
        var configured = configuration["PageTokens:Key"];
        var provider = configuration["Storage:Provider"] ?? "Sqlite";
        var database = provider.Equals("SqlServer", StringComparison.OrdinalIgnoreCase)
            ? configuration.GetConnectionString("Policy")
            : configuration.GetConnectionString("Policy") is { Length: > 0 } connection ? connection : configuration["Storage:SqlitePath"];
        var secret = string.IsNullOrEmpty(configured) ? $"policyservice-page-tokens\n{provider.ToLowerInvariant()}\n{database}" : configured;
        _key = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    public static string Create(string lastId, string filters)
    {
        var payload = $"{Version}\n{lastId}\n{Fingerprint(filters)}";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{payload}\n{Checksum(payload)}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The id to continue after ("" for the first page), or a violation on page_token.</summary>
    public static string Read(string token, string filters, RequestValidation validation, string field = "page_token")
    {
        if (string.IsNullOrEmpty(token)) return string.Empty;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('\n');
            if (parts.Length == 4 && parts[0] == Version && parts[3] == Checksum(string.Join('\n', parts[..3])))
            {
                if (parts[2] == Fingerprint(filters)) return parts[1];
                validation.Fail(field, "was issued for different filters; repeat the first request's filters or start again without a token");
                return string.Empty;
            }
        }
        catch (FormatException)
        {
        }
        validation.Fail(field, "is not a token this service issued");
        return string.Empty;
    }

    private static string Fingerprint(string filters) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(filters)), 0, 8);

    /// <summary>The first <paramref name="length"/> bytes of the HMAC of the data under the tokens' key (for other signed tokens).</summary>
    internal static byte[] Mac(ReadOnlySpan<byte> data, int length) => HMACSHA256.HashData(_key, data)[..length];

    private static string Checksum(string text) => Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)), 0, 16);
}
