using System.Text.Json;
using Microsoft.Data.SqlClient;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>
/// Microsoft.Data.SqlClient refuses every connection in invariant-globalization mode, so the server, <c>migrate</c>
/// and these tests must run with ICU. These fail if InvariantGlobalization comes back.
/// </summary>
public class GlobalizationTests
{
    [Fact]
    public void The_built_server_runs_with_globalization_on()
    {
        var config = Path.Combine(Path.GetDirectoryName(typeof(PolicyStore).Assembly.Location)!, "PolicyService.Server.runtimeconfig.json");
        var options = JsonDocument.Parse(File.ReadAllText(config)).RootElement.GetProperty("runtimeOptions");
        var invariant = options.TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.Globalization.Invariant", out var value) && value.GetBoolean();
        Assert.False(invariant, $"{config} turns invariant globalization on: SqlClient cannot connect in that mode.");
    }

    [Fact]
    public async Task Sql_client_gets_as_far_as_the_network()
    {
        Assert.False(AppContext.TryGetSwitch("System.Globalization.Invariant", out var on) && on, "this test process runs in invariant mode");
        // Nothing listens on loopback port 1: the failure must be the refused connection, not the globalization check.
        await using var connection = new SqlConnection("Server=tcp:127.0.0.1,1;Database=policy;User Id=x;Password=y;Connect Timeout=2;Encrypt=false");
        var e = await Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain("Globalization", e.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
