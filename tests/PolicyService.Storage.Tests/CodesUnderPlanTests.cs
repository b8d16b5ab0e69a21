using Dapper;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>
/// The candidates under a less specific code are found by range seeks on the lane indexes, never by scanning a table:
/// SQLite's plan for each candidate statement searches tariff_lane_scope and export_scope by their primary keys, with
/// the prefix bounded on both sides (SQLite prints "prefix&lt;?" for the statement's "prefix &lt;= @CodeLast").
/// </summary>
public sealed class CodesUnderPlanTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<string>> PlanAsync(string sql, string code)
    {
        await new Migrator(database.Dialect!).MigrateAsync(Ct);
        await using var db = database.Dialect!.CreateConnection();
        await db.OpenAsync(Ct);
        var parameters = new DynamicParameters(new
        {
            Importer = "US", Origin = "CN", Exporter = "CN", Destination = "US", Name = (string?)null, KnownAt = DateTime.MaxValue,
            Code = code, CodeLast = HsDescendants.LastUnder(code),
        });
        foreach (var length in HsCode.PrefixLengths) parameters.Add($"P{length}", code[..Math.Min(length, code.Length)]);
        // EXPLAIN QUERY PLAN rows: (id, parent, notused, detail).
        return [.. (await db.QueryAsync<(long, long, long, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Detail)];
    }

    [Fact]
    public async Task Tariff_candidates_under_a_code_seek_the_lanes_by_a_bounded_prefix_range()
    {
        var plan = await PlanAsync(new PolicySql(database.Dialect!).Tariffs.FindTariffCandidatesUnder, "85076000");

        // The statement reads tariff_lane_scope as "s": every read of it is a primary-key search, two of them a bounded range.
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN s", StringComparison.Ordinal));
        var lanes = plan.Where(d => d.StartsWith("SEARCH s ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, lanes.Count);
        Assert.All(lanes, d => Assert.Contains("USING PRIMARY KEY (importer=? AND origin=? AND prefix", d, StringComparison.Ordinal));
        Assert.Equal(2, lanes.Count(d => d.EndsWith("prefix>? AND prefix<?)", StringComparison.Ordinal)));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", plan));
    }

    [Fact]
    public async Task Export_candidates_under_a_code_seek_the_scopes_by_a_bounded_prefix_range()
    {
        var plan = await PlanAsync(new PolicySql(database.Dialect!).ExportControls.FindExportCandidatesUnder, "811292");

        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN s", StringComparison.Ordinal));
        var scopes = plan.Where(d => d.StartsWith("SEARCH s ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, scopes.Count);
        Assert.Single(scopes, d => d.EndsWith("USING PRIMARY KEY (exporter=? AND prefix>? AND prefix<?)", StringComparison.Ordinal));
    }
}
