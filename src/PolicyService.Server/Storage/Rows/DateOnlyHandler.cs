using System.Data;
using System.Globalization;
using Dapper;

namespace PolicyService.Server.Storage;

/// <summary>Calendar dates: DATE on SQL Server, 'YYYY-MM-DD' text on SQLite.</summary>
internal sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
{
    public static void Register()
    {
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    public override void SetValue(IDbDataParameter parameter, DateOnly value)
    {
        parameter.DbType = DbType.Date;
        parameter.Value = value;
    }

    public override DateOnly Parse(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new DataException($"Cannot read a date from {value.GetType().Name}."),
    };
}
