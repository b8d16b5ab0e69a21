using System.Data.Common;

namespace PolicyService.Server.Storage;

/// <summary>
/// The parameters of a lookup statement, declared once per prepared command and bound per call: its own string
/// parameters (in order), @KnownAt, and the code's prefixes @P0..@P10.
/// </summary>
internal sealed class LookupParameters(params string[] names)
{
    public void Declare(DbCommand command)
    {
        foreach (var name in names) ReadParameters.DeclareString(command, name);
        ReadParameters.DeclareInstant(command, "@KnownAt");
        HsPrefixParameters.Declare(command);
    }

    /// <param name="values">One value for each of the names, in the same order.</param>
    public Action<DbCommand> Bind(DateTime knownAt, string? hsCode, params string?[] values) => command =>
    {
        for (var i = 0; i < names.Length; i++) ReadParameters.Set(command, names[i], values[i]);
        ReadParameters.Set(command, "@KnownAt", knownAt);
        HsPrefixParameters.Set(command, hsCode);
    };
}
