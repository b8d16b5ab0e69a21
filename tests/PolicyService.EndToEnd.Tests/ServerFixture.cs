using Google.Rpc;
using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;

namespace PolicyService.EndToEnd.Tests;

/// <summary>One real server with the seeded embedded database, shared by the tests of a class.</summary>
public class ServerFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    /// <summary>The storage provider of this fixture's server; each provider has its own fresh database.</summary>
    public virtual StorageProvider Provider => StorageProvider.Sqlite;

    /// <summary>Why this fixture has no server here (its provider is unavailable), or null.</summary>
    public string? SkipReason => TestDatabase.SkipReason(Provider);

    public ServerProcess Server { get; private set; } = null!;

    public TariffService.TariffServiceClient Tariffs => new(Server.Channel);

    public ExportControlService.ExportControlServiceClient ExportControls => new(Server.Channel);

    public TruceService.TruceServiceClient Truces => new(Server.Channel);

    /// <summary>Settings added to the database's for this fixture's server.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ServerSettings => [];

    public async ValueTask InitializeAsync()
    {
        if (SkipReason is not null) return;
        _database = await ServerDatabase.CreateMigratedAsync(Provider);
        Server = await ServerProcess.StartAsync([.. _database.Settings, .. ServerSettings]);
    }

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (Server is not null) await Server.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>The same server on the SQL Server in POLICYSERVICE_TEST_SQLSERVER (its tests are skipped where that is unset).</summary>
public sealed class SqlServerFixture : ServerFixture
{
    public override StorageProvider Provider => StorageProvider.SqlServer;
}

internal static class ServerDatabase
{
    /// <summary>
    /// A fresh database of the provider, ready for servers: SQL Server is migrated by 'migrate' first (servers never
    /// migrate it); SQLite is migrated by the server itself at start-up.
    /// </summary>
    public static async Task<TestDatabase> CreateMigratedAsync(StorageProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        if (provider == StorageProvider.SqlServer) await database.MigrateAsync();
        return database;
    }
}

/// <summary>Skips every test of a provider-parameterised class whose provider is not available here.</summary>
internal static class Provider
{
    public static T Require<T>(T fixture) where T : ServerFixture
    {
        Assert.SkipWhen(fixture.SkipReason is not null, fixture.SkipReason ?? "");
        return fixture;
    }
}

internal static class Calls
{
    public static Google.Type.Date Date(string iso)
    {
        var d = DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        return new Google.Type.Date { Year = d.Year, Month = d.Month, Day = d.Day };
    }

    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(10);

    /// <summary>The fields named by the BadRequest detail of a failed call.</summary>
    public static IReadOnlyList<string> ViolatedFields(this RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];

    public static ErrorInfo? ErrorInfo(this RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>();
}
