using System.Buffers.Text;
using System.Globalization;

namespace PolicyService.Server.Api;

/// <summary>
/// A position in the change log as callers see it: the change_token of writes and answers, the min_change_token of
/// reads and the change feed's resume token are one format, so a token from any of them works in all. Short, because
/// every answer carries one: a version byte, the position as a varint and 6 bytes of HMAC (the page-token key), in
/// base64url — about 14 characters. A forged token is refused rather than left to make reads wait.
/// </summary>
public static class ChangeToken
{
    private const byte Version = 1;
    private const int MacBytes = 6;

    // The scope the change feed signed its resume tokens with before change tokens existed: still read, so old ones stay valid.
    private const string LegacyScope = "change-feed";

    public static string Create(long position)
    {
        Span<byte> bytes = stackalloc byte[1 + 10 + MacBytes];
        bytes[0] = Version;
        var length = 1 + WriteVarint(bytes[1..], (ulong)position);
        PageToken.Mac(bytes[..length], MacBytes).CopyTo(bytes[length..]);
        return Base64Url.EncodeToString(bytes[..(length + MacBytes)]);
    }

    /// <summary>The position a token names (0 for an empty token), or a violation on the field.</summary>
    public static long Read(string token, RequestValidation validation, string field)
    {
        if (string.IsNullOrEmpty(token)) return 0;
        if (TryReadCompact(token, out var position)) return position;
        // A resume token of the change feed as it was first issued (a page token of the "change-feed" scope).
        var legacy = PageToken.Read(token, LegacyScope, new RequestValidation(), field);
        if (legacy.Length > 0 && long.TryParse(legacy, NumberStyles.None, CultureInfo.InvariantCulture, out position)) return position;
        validation.Fail(field, "is not a token this service issued");
        return 0;
    }

    private static bool TryReadCompact(string token, out long position)
    {
        position = 0;
        Span<byte> bytes = stackalloc byte[32];
        if (token.Length > 40 || !TryDecode(token, bytes, out var length) || length < 2 + MacBytes || bytes[0] != Version) return false;
        var signed = bytes[..(length - MacBytes)];
        if (!PageToken.Mac(signed, MacBytes).AsSpan().SequenceEqual(bytes[(length - MacBytes)..length])) return false;
        ulong value = 0;
        var shift = 0;
        foreach (var b in signed[1..])
        {
            if (shift > 56) return false;
            value |= (ulong)(b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                position = (long)value;
                return value <= long.MaxValue;
            }
        }
        return false;
    }

    // Base64Url.TryDecodeFromChars returns false only for a short destination: characters outside the alphabet throw.
    private static bool TryDecode(string token, Span<byte> into, out int length)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(token, into, out length);
        }
        catch (FormatException)
        {
            length = 0;
            return false;
        }
    }

    private static int WriteVarint(Span<byte> into, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            into[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        into[i++] = (byte)value;
        return i;
    }
}
