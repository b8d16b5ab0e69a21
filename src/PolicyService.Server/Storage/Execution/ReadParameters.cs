using System.Data;
using System.Data.Common;

namespace PolicyService.Server.Storage;

/// <summary>Declares and sets parameters the way Dapper does for this store (strings as DbType.String of size 4000, instants as DateTime2), so both paths send the same types.</summary>
internal static class ReadParameters
{
    public static void DeclareString(DbCommand command, string name) => Declare(command, name, DbType.String, 4000);

    public static void DeclareInstant(DbCommand command, string name) => Declare(command, name, DbType.DateTime2, 0);

    public static void Set(DbCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

    private static void Declare(DbCommand command, string name, DbType type, int size)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        if (size > 0) parameter.Size = size;
        parameter.Value = DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
