namespace PolicyService.Server.Storage;

/// <summary>
/// Every statement the store runs, as literal SQL with parameters only, grouped by resource. The text is shared by both
/// databases; the one difference, how a page is cut, comes from the dialect and is filled in once at start-up.
/// </summary>
public sealed class PolicySql(ISqlDialect dialect)
{
    public TariffSql Tariffs { get; } = new(dialect);

    public ExportControlSql ExportControls { get; } = new(dialect);

    public TruceSql Truces { get; } = new(dialect);

    public ChangeLogSql ChangeLog { get; } = new(dialect);

    /// <summary>Every statement with its name ("Tariffs.ListTariffMeasures"), for tests that parse them.</summary>
    public IEnumerable<(string Name, string Sql)> Statements() =>
        new object[] { Tariffs, ExportControls, Truces, ChangeLog }.SelectMany(group => group.GetType().GetProperties()
            .Where(p => p.PropertyType == typeof(string))
            .Select(p => ($"{group.GetType().Name}.{p.Name}", (string)p.GetValue(group)!)));
}
