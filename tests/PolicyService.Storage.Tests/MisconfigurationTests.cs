using Microsoft.Data.SqlClient;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>
/// A configuration the SQL Server refuses is reported as such (fix ConnectionStrings:Policy), never as "unavailable,
/// retry": checked against the real engine in POLICYSERVICE_TEST_SQLSERVER, with what it actually answers.
/// </summary>
public class MisconfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Mistakes => ["wrong password", "unknown login", "unknown database", "TLS the server does not accept"];

    private static string Misconfigured(string server, string mistake)
    {
        var builder = new SqlConnectionStringBuilder(server) { ConnectTimeout = 5 };
        switch (mistake)
        {
            case "wrong password": builder.Password += "-wrong"; break;
            case "unknown login": builder.UserID = "policyservice_no_such_login"; break;
            case "unknown database": builder.InitialCatalog = $"policyservice_missing_{Guid.NewGuid():N}"; break;
            default:
                // Encryption required and the certificate checked: a test engine (self-signed or no TLS) refuses this.
                builder.Encrypt = SqlConnectionEncryptOption.Mandatory;
                builder.TrustServerCertificate = false;
                break;
        }
        return builder.ConnectionString;
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_refused_configuration_is_misconfigured_not_unavailable(string mistake)
    {
        var server = Environment.GetEnvironmentVariable(SqlServerTestDatabase.Variable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(server), $"{SqlServerTestDatabase.Variable} is not set: no SQL Server to be refused by.");
        var dialect = new SqlServerDialect(Misconfigured(server!, mistake));

        var ping = await Assert.ThrowsAsync<StoreMisconfiguredException>(() => new PolicyStore(dialect).PingAsync(Ct));
        Assert.Contains("ConnectionStrings:Policy", ping.Message, StringComparison.Ordinal);
        Assert.False(dialect.IsUnavailable(ping.InnerException!));
        await Assert.ThrowsAsync<StoreMisconfiguredException>(() => new Migrator(dialect).MigrateAsync(Ct));
        await Assert.ThrowsAsync<StoreMisconfiguredException>(() => new Migrator(dialect).CurrentVersionAsync(Ct));
    }

    [Fact]
    public async Task A_closed_port_stays_unavailable_not_misconfigured()
    {
        var dialect = new SqlServerDialect("Server=tcp:127.0.0.1,1;Database=policy;User Id=x;Password=y;Connect Timeout=2;Encrypt=false");
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => new Migrator(dialect).MigrateAsync(Ct));
        Assert.Null(dialect.Misconfiguration(e.InnerException!));
    }
}
