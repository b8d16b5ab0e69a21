using System.Data.Common;
using Dapper;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>
/// The code parameters of the scope statements, for both execution paths: @P0..@P10, the code's prefixes of 0, 2, 4, 6,
/// 8 and 10 digits (repeating the code where it is shorter), and @X2..@X10, the same prefixes as the JSON strings that
/// exclusion lists are matched against (see <see cref="KnownVersion.Excluded"/>).
/// </summary>
internal static class HsPrefixParameters
{
    private static readonly string[] PrefixNames = [.. Enumerable.Range(0, HsCode.MaxDigits + 1).Select(i => $"@P{i}")];

    private static string? Prefix(string? hsCode, int length) => hsCode?[..Math.Min(length, hsCode.Length)];

    /// <summary>Declares @P0..@P10, @Code and @CodeLast on a prepared command.</summary>
    public static void Declare(DbCommand command)
    {
        foreach (var length in HsCode.PrefixLengths) ReadParameters.DeclareString(command, PrefixNames[length]);
        ReadParameters.DeclareString(command, "@Code");
        ReadParameters.DeclareString(command, "@CodeLast");
    }

    /// <summary>
    /// Sets @P0..@P10 on a prepared command, and @Code and @CodeLast, the bounds of the prefixes under the code
    /// (<see cref="HsDescendants.LastUnder"/>), for the statements that also find those.
    /// </summary>
    public static void Set(DbCommand command, string? hsCode)
    {
        foreach (var length in HsCode.PrefixLengths) ReadParameters.Set(command, PrefixNames[length], Prefix(hsCode, length));
        ReadParameters.Set(command, "@Code", hsCode);
        ReadParameters.Set(command, "@CodeLast", hsCode is null ? null : HsDescendants.LastUnder(hsCode));
    }

    /// <summary>Dapper parameters: the given ones plus @P0..@P10 and @X2..@X10 (all null without a code).</summary>
    public static DynamicParameters With(string? hsCode, object parameters)
    {
        var p = new DynamicParameters(parameters);
        foreach (var length in HsCode.PrefixLengths)
        {
            p.Add($"P{length}", Prefix(hsCode, length));
            if (length > 0) p.Add($"X{length}", hsCode is null ? null : $"%\"{Prefix(hsCode, length)}\"%");
        }
        return p;
    }
}
