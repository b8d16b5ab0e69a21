using Microsoft.SqlServer.TransactSql.ScriptDom;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>Every statement the SQL Server dialect runs is parsed by Microsoft's own T-SQL parser.</summary>
public class TransactSqlTests
{
    private static readonly SqlServerDialect Dialect = new("Server=unused");

    public static TheoryData<string, string> Statements()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, sql) in new PolicySql(Dialect).Statements()) data.Add(name, sql);
        data.Add(nameof(Dialect.CreateMigrationJournal), Dialect.CreateMigrationJournal);
        data.Add(nameof(Dialect.TakeMigrationLock), Dialect.TakeMigrationLock);
        data.Add(nameof(Dialect.TakeWriteLock), Dialect.TakeWriteLock);
        data.Add(nameof(Dialect.ReleaseWriteLock), Dialect.ReleaseWriteLock);
        data.Add(nameof(Dialect.ReleaseMigrationLock), Dialect.ReleaseMigrationLock);
        data.Add(nameof(Migrator.AppliedVersions), Migrator.AppliedVersions);
        data.Add(nameof(Migrator.RecordMigration), Migrator.RecordMigration);
        data.Add(nameof(Migrator.CurrentVersion), Migrator.CurrentVersion);
        foreach (var migration in Migrator.Load(Dialect.Name)) data.Add(migration.Name, migration.Script);
        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Parses_without_errors_as_sql_server_2019(string name, string script)
    {
        var fragment = new TSql150Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);
        Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
        Assert.NotNull(fragment);
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Uses_explicit_column_lists_and_no_merge(string name, string script)
    {
        var fragment = new TSql150Parser(true).Parse(new StringReader(script), out _);
        var visitor = new ForbiddenConstructs();
        fragment.Accept(visitor);
        Assert.True(visitor.Found.Count == 0, $"{name} uses {string.Join(", ", visitor.Found)}");
    }

    // The parse tests above see only what Statements() lists: every statement of every group, named, none of them blank.
    [Fact]
    public void Every_statement_of_every_group_is_listed_by_name()
    {
        string[] expected =
        [
            "TariffSql.FindTariffCandidates", "TariffSql.FindTariffCandidatesUnder", "TariffSql.GetTariffMeasure", "TariffSql.TariffMeasureHistory", "TariffSql.ListTariffMeasures",
            "TariffSql.AllCurrent", "TariffSql.CurrentVersion", "TariffSql.InsertMeasure", "TariffSql.InsertScope", "TariffSql.InsertLaneScope",
            "TariffSql.InsertOrigin", "TariffSql.InsertPeriod",
            "ExportControlSql.FindExportCandidates", "ExportControlSql.FindExportCandidatesUnder", "ExportControlSql.GetExportControl", "ExportControlSql.ExportControlHistory",
            "ExportControlSql.ListExportControls", "ExportControlSql.AllCurrent", "ExportControlSql.CurrentVersion", "ExportControlSql.InsertControl",
            "ExportControlSql.InsertScope", "ExportControlSql.InsertItem", "ExportControlSql.InsertDestination", "ExportControlSql.InsertPeriod",
            "TruceSql.FindTruces", "TruceSql.GetTruce", "TruceSql.ListTruces", "TruceSql.CurrentVersion", "TruceSql.InsertTruce", "TruceSql.InsertParty",
            "TruceSql.InsertExtension", "TruceSql.InsertTerm", "TruceSql.InsertEvent",
            "ChangeLogSql.Ping", "ChangeLogSql.LatestChange", "ChangeLogSql.LatestChangeTime", "ChangeLogSql.ChangesAfter",
            "ChangeLogSql.CurrentVersionsChanged", "ChangeLogSql.LoadReferenceData", "ChangeLogSql.FindRequest", "ChangeLogSql.InsertRequest",
            "ChangeLogSql.InsertChange", "ChangeLogSql.SourceExists", "ChangeLogSql.InsertSource", "ChangeLogSql.InsertCoverage",
            "ChangeLogSql.CurrentCoverageVersion", "ChangeLogSql.InsertCoverageModel",
        ];
        var statements = new PolicySql(Dialect).Statements().ToList();

        Assert.Equal(expected.Order(StringComparer.Ordinal), statements.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(statements, s => Assert.False(string.IsNullOrWhiteSpace(s.Sql), s.Name));
    }

    [Fact]
    public void There_is_a_sql_server_migration_for_every_sqlite_migration() =>
        Assert.Equal(Migrator.Load("sqlite").Select(m => m.Name), Migrator.Load("sqlserver").Select(m => m.Name));

    private sealed class ForbiddenConstructs : TSqlFragmentVisitor
    {
        public List<string> Found { get; } = [];

        public override void Visit(SelectStarExpression node) => Found.Add("SELECT *");

        public override void Visit(MergeStatement node) => Found.Add("MERGE");

        public override void Visit(InsertSpecification node)
        {
            if (node.Columns.Count == 0) Found.Add("INSERT without a column list");
        }
    }
}
