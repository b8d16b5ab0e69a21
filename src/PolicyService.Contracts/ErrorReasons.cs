namespace TradePolicy.V1;

/// <summary>
/// The <see cref="ErrorReason"/> values as the reason strings of <c>google.rpc.ErrorInfo</c>: the names the proto gives
/// them (<c>ETAG_MISMATCH</c>), shared by the server that sets them and the clients that read them.
/// </summary>
public static class ErrorReasons
{
    private static readonly Dictionary<ErrorReason, string> Names =
        CommonReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("ErrorReason").Values
            .ToDictionary(v => (ErrorReason)v.Number, v => v.Name);

    private static readonly Dictionary<string, ErrorReason> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The reason string on the wire, e.g. <c>"ETAG_MISMATCH"</c>.</summary>
    /// <param name="reason">A defined reason.</param>
    /// <returns>The value's name in the proto.</returns>
    public static string ToReasonString(this ErrorReason reason) =>
        Names.TryGetValue(reason, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a defined ErrorReason");

    /// <summary>The reason a reason string names; <see cref="ErrorReason.Unspecified"/> for one this version does not know.</summary>
    /// <param name="reason">An <c>ErrorInfo.Reason</c>.</param>
    /// <returns>The matching value, or <see cref="ErrorReason.Unspecified"/>.</returns>
    public static ErrorReason Parse(string? reason) => reason is not null && ByName.TryGetValue(reason, out var value) ? value : ErrorReason.Unspecified;
}
