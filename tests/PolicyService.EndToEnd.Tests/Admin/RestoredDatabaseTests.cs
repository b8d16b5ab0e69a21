using Grpc.Core;
using Microsoft.Data.Sqlite;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>
/// An older backup put back under a running server: the change log goes backwards, and the next write takes a position
/// the snapshot has already applied with other content. The snapshot must follow the database, not its own past.
/// </summary>
public class RestoredDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_an_older_backup_is_restored_lookups_answer_what_the_database_holds()
    {
        using var credentials = new TestCredentials();
        await using var server = await ServerProcess.StartAsync(credentials.ServerSettings(), ct: Ct);
        var admin = new PolicyAdminService.PolicyAdminServiceClient(server.Channel);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var editor = TestCredentials.Bearer(credentials.Token("analyst-restore", [TestCredentials.Editor]));
        var live = Path.Combine(server.Directory, "policy.db");
        var backup = Path.Combine(server.Directory, "backup.db");

        // The backup is taken through SQLite's online backup, as an operator's `sqlite3 policy.db ".backup backup.db"`.
        Copy(live, backup);
        var lost = await CreateAsync(admin, editor, "FAULT-W6");
        Assert.Equal("FAULT-W6", (await tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "FAULT-W6" }, deadline: Deadline, cancellationToken: Ct)).TariffMeasure.Id);

        Copy(backup, live); // `sqlite3 policy.db ".restore backup.db"`: the change that wrote FAULT-W6 is gone
        var written = await CreateAsync(admin, editor, "FAULT-W8");
        Assert.Equal(lost.ChangeToken, written.ChangeToken); // the new write took the position FAULT-W6 had

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await ExistsAsync(tariffs, "FAULT-W8") && DateTime.UtcNow < deadline) await Task.Delay(100, Ct);
        Assert.True(await ExistsAsync(tariffs, "FAULT-W8"), $"FAULT-W8 is in the database but not answered.\n{server.Output}");
        Assert.False(await ExistsAsync(tariffs, "FAULT-W6"), "FAULT-W6 is no longer in the database but still answered.");
        Assert.Contains("Rebuilding the snapshot from the database", server.Output, StringComparison.Ordinal);
        // Lookups of the seed answer as before the restore.
        Assert.Equal("27.5", (await tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "8507.60.00.20", AsOf = Date("2025-11-15") },
            deadline: Deadline, cancellationToken: Ct)).TotalAdValoremPercent);
    }

    private static async Task<CreateTariffMeasureResponse> CreateAsync(PolicyAdminService.PolicyAdminServiceClient admin, Metadata editor, string id) =>
        await admin.CreateTariffMeasureAsync(new CreateTariffMeasureRequest { TariffMeasure = TestRecords.ToyDuty(id), Reason = "restore drill" }, editor, Deadline, Ct);

    private static async Task<bool> ExistsAsync(TariffService.TariffServiceClient tariffs, string id)
    {
        try
        {
            await tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id }, deadline: Deadline, cancellationToken: Ct);
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    private static void Copy(string from, string to)
    {
        using var source = new SqliteConnection($"Data Source={from};Pooling=False");
        using var target = new SqliteConnection($"Data Source={to};Pooling=False");
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }
}
