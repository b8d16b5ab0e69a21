using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PolicyService.EndToEnd.Tests.Fuzz;

/// <summary>
/// Requests built from a message's descriptor, seeded: messages with plausible and hostile field values (bad codes,
/// impossible dates, extreme numbers, unknown enum values), and mutations of them — random bytes, truncation, wrong
/// wire types, lengths far past the end, nesting past any limit — framed for gRPC or written as JSON.
/// </summary>
public sealed class MessageFuzzer(Random random)
{
    private static readonly string[] Strings =
    [
        "", "US", "CN", "us", " cn ", "USA", "XX", "EU", "850760", "8507.60.00.20", "85", "8507600020123", "72", "gallium", "dysprosium",
        "TAR-US-14", "TAR-US-99", "EXC-CN-01", "TRUCE-US-CN-2025", "SRC-0001", "2025-11-15", "readiness", "liveness", "tradepolicy.v1.TariffService",
        "*", "%", "%00", "\0", "\t\n", "é漢字🙂", "\u202e\ud800", "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>", "javascript:alert(1)",
        "https://example.com/a", "-1", "1e400", "NaN", "null", "true", "SECTION_301", "IN_FORCE", "FOO_UNSPECIFIED", new string('A', 300), new string('9', 2000),
    ];

    private static readonly long[] Numbers = [0, 1, 2, 3, -1, 7, 12, 13, 31, 32, 50, 999, 1000, 1001, 2024, 2025, 2026, 9999, 10000, 100000,
        int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 253402300799, -62135596801];

    /// <summary>A message of the type, each field present or not, repeated fields 0–3 times, nested messages to a few levels.</summary>
    public byte[] Message(MessageDescriptor type, int depth = 0)
    {
        using var bytes = new MemoryStream();
        var output = new CodedOutputStream(bytes);
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (random.Next(3) == 0) continue;
            for (var i = field.IsRepeated ? random.Next(4) : 1; i > 0; i--) WriteField(output, field, depth);
        }
        if (random.Next(12) == 0) WriteUnknownField(output);
        output.Flush();
        return bytes.ToArray();
    }

    /// <summary>A request body for the type: a message as above, or one of the mutations of one.</summary>
    public byte[] Mutated(MessageDescriptor type)
    {
        var valid = Message(type);
        switch (random.Next(12))
        {
            case 0: return RandomBytes(random.Next(65));
            case 1: return valid.Length == 0 ? [0x0a] : valid[..random.Next(valid.Length)];
            case 2:
                if (valid.Length > 0) valid[random.Next(valid.Length)] ^= (byte)(1 << random.Next(8));
                return valid;
            case 3: return [.. valid, .. WrongWireType(type)];
            case 4: return [.. valid, .. HugeLength(type)];
            case 5: return Nested(type, 120 + random.Next(200)) ?? valid;
            default: return valid;
        }
    }

    /// <summary>The gRPC framing of a body: usually exact, sometimes with a length that lies or a compressed flag with no compression.</summary>
    public byte[] Framed(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        var length = (uint)message.Length;
        switch (random.Next(20))
        {
            case 0: length += (uint)random.Next(1, 100); break;                 // declares more than it sends
            case 1: if (length > 0) length -= 1; break;                         // trailing bytes after the message
            case 2: frame[0] = 1; break;                                        // compressed, with no grpc-encoding
            case 3: frame[0] = (byte)random.Next(2, 256); break;                // a flag that means nothing
            case 4: length = uint.MaxValue - (uint)random.Next(100); break;     // a length no server should believe
        }
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), length);
        message.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>A JSON body for the type: an object of its fields by JSON name with right- and wrong-typed values, or broken JSON.</summary>
    public byte[] Json(MessageDescriptor type)
    {
        var valid = Encoding.UTF8.GetBytes(JsonObject(type, 0));
        switch (random.Next(12))
        {
            case 0: return RandomBytes(random.Next(65));
            case 1: return valid[..random.Next(valid.Length)];
            case 2: return Encoding.UTF8.GetBytes(new string('[', 70 + random.Next(1000)));
            case 3: return Encoding.UTF8.GetBytes(Pick(["null", "[]", "42", "\"text\"", "{\"a\":1,\"a\":2}", "{}", "{\"@type\":\"x\"}", "1e400", "{\"" + type.Fields.InFieldNumberOrder().FirstOrDefault()?.JsonName + "\":{}}"]));
            case 4: return [0xEF, 0xBB, 0xBF, .. valid];                          // a byte order mark
            case 5: return [.. valid[..Math.Max(0, valid.Length - 1)], 0xC3, 0x28, (byte)'}']; // invalid UTF-8
            default: return valid;
        }
    }

    /// <summary>A query string of the type's fields (nested by dots), with junk keys and broken escapes among them.</summary>
    public string Query(MessageDescriptor type)
    {
        var parts = new List<string>();
        foreach (var (path, field) in LeafFields(type, "", 0))
        {
            if (random.Next(2) == 0) continue;
            parts.Add($"{path}={Uri.EscapeDataString(ScalarText(field))}");
        }
        if (random.Next(6) == 0) parts.Add(Pick(["%", "%ZZ=1", "=", "&&", "unknownField=1", "pageSize=abc", "pageSize=-1", "asOf=2025-01-01", "a[]=1", "x=%C3%28"]));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>A path segment for a route variable: an id, or something no id looks like.</summary>
    public string Segment() => Pick([Uri.EscapeDataString(Pick(Strings)), "%ZZ", "..", "%2F", "a%00b", new string('x', 5000)]) is { Length: > 0 } s ? s : "%20";

    public T Pick<T>(IList<T> values) => values[random.Next(values.Count)];

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private void WriteField(CodedOutputStream output, FieldDescriptor field, int depth)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                if (random.Next(15) == 0) output.WriteBytes(ByteString.CopyFrom(0xC3, 0x28, 0xFF)); // not UTF-8
                else output.WriteString(Pick(Strings));
                break;
            case FieldType.Bytes:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(RandomBytes(random.Next(40))));
                break;
            case FieldType.Message or FieldType.Group:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(depth > 3 ? ByteString.Empty : ByteString.CopyFrom(Message(field.MessageType, depth + 1)));
                break;
            case FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed32);
                output.WriteFixed32((uint)Number());
                break;
            case FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed64);
                output.WriteFixed64((ulong)Number());
                break;
            case FieldType.SInt32 or FieldType.SInt64:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                output.WriteSInt64(Number());
                break;
            case FieldType.Enum:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                output.WriteInt64(random.Next(3) == 0 ? Number() : random.Next(field.EnumType.Values.Count + 2));
                break;
            default: // int32, int64, uint32, uint64, bool
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                output.WriteInt64(Number());
                break;
        }
    }

    private long Number() => random.Next(4) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : Numbers[random.Next(Numbers.Length)];

    private void WriteUnknownField(CodedOutputStream output)
    {
        output.WriteTag(1000 + random.Next(1000), WireFormat.WireType.Varint);
        output.WriteInt64(Number());
    }

    private byte[] WrongWireType(MessageDescriptor type)
    {
        var number = type.Fields.InFieldNumberOrder() is { Count: > 0 } fields ? Pick(fields).FieldNumber : 1;
        var wire = Pick([WireFormat.WireType.Varint, WireFormat.WireType.Fixed64, WireFormat.WireType.LengthDelimited, WireFormat.WireType.StartGroup,
            WireFormat.WireType.EndGroup, WireFormat.WireType.Fixed32, (WireFormat.WireType)6, (WireFormat.WireType)7]);
        return [.. VarInt(WireFormat.MakeTag(number, wire)), .. RandomBytes(random.Next(1, 12))];
    }

    private byte[] HugeLength(MessageDescriptor type)
    {
        var number = type.Fields.InFieldNumberOrder() is { Count: > 0 } fields ? Pick(fields).FieldNumber : 1;
        return [.. VarInt(WireFormat.MakeTag(number, WireFormat.WireType.LengthDelimited)), .. VarInt(Pick([0x7FFF_FFFFu, 0xFFFF_FFFFu, 1u << 28, 70_000u])), 1, 2, 3];
    }

    /// <summary>A message field nested in itself, or through its message fields, <paramref name="levels"/> deep (null when the type has none).</summary>
    private static byte[]? Nested(MessageDescriptor type, int levels)
    {
        if (type.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.Message) is not { } field) return null;
        byte[] inner = [];
        for (var i = 0; i < levels; i++) inner = [.. VarInt(WireFormat.MakeTag(field.FieldNumber, WireFormat.WireType.LengthDelimited)), .. VarInt((uint)inner.Length), .. inner];
        return inner;
    }

    private static byte[] VarInt(uint value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }

    private string JsonObject(MessageDescriptor type, int depth)
    {
        var members = new List<string>();
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (random.Next(3) == 0) continue;
            var value = field.IsRepeated && !field.IsMap
                ? "[" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => JsonValue(field, depth))) + "]"
                : field.IsMap ? "{\"k\":" + JsonValue(field.MessageType.FindFieldByNumber(2), depth) + "}" : JsonValue(field, depth);
            members.Add($"\"{field.JsonName}\":{value}");
        }
        return "{" + string.Join(',', members) + "}";
    }

    private string JsonValue(FieldDescriptor field, int depth)
    {
        if (random.Next(10) == 0) return Pick(["null", "true", "[]", "{}", "\"x\"", "-0", "1.5", "1e999", "\"" + new string('1', 40) + "\""]); // the wrong type
        return field.FieldType switch
        {
            FieldType.Message or FieldType.Group => depth > 3 ? "{}" : JsonObject(field.MessageType, depth + 1),
            FieldType.String or FieldType.Bytes or FieldType.Enum => System.Text.Json.JsonSerializer.Serialize(ScalarText(field)),
            FieldType.Bool => random.Next(2) == 0 ? "true" : "false",
            _ => random.Next(3) == 0 ? $"\"{Number()}\"" : Number().ToString(CultureInfo.InvariantCulture),
        };
    }

    private string ScalarText(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Enum when random.Next(3) > 0 => Pick(field.EnumType.Values).Name,
        FieldType.String or FieldType.Bytes or FieldType.Enum => Pick(Strings),
        FieldType.Bool => Pick(["true", "false", "yes", "2"]),
        _ => random.Next(5) == 0 ? Pick(Strings) : Number().ToString(CultureInfo.InvariantCulture),
    };

    private static IEnumerable<(string Path, FieldDescriptor Field)> LeafFields(MessageDescriptor type, string prefix, int depth)
    {
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.Message)
            {
                if (depth < 2 && !field.IsRepeated)
                    foreach (var leaf in LeafFields(field.MessageType, $"{prefix}{field.JsonName}.", depth + 1)) yield return leaf;
            }
            else
            {
                yield return ($"{prefix}{field.JsonName}", field);
            }
        }
    }
}
