using PolicyService.Server.Domain;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

public class UnavailableDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreachable_sql_server_is_reported_as_unavailable()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var store = new PolicyStore(new SqlServerDialect("Server=tcp:127.0.0.1,1;Database=policy;User Id=x;Password=y;Connect Timeout=2;Encrypt=false"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PingAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.FindTariffCandidatesAsync("US", "CN", "8507600020", DateTime.MaxValue, Ct));
    }

    [Fact]
    public async Task A_sqlite_file_that_cannot_be_opened_is_reported_as_unavailable()
    {
        var store = new PolicyStore(new SqliteDialect($"Data Source={Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing.db")};Mode=ReadWrite"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PingAsync(Ct));
    }
}
