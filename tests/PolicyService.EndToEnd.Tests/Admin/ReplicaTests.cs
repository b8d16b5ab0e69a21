using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>Replicas: two real server processes on one database, on every storage provider.</summary>
public sealed class ReplicaTests : IDisposable
{
    private readonly TestCredentials _credentials = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Metadata Editor => TestCredentials.Bearer(_credentials.Token("analyst-1", [TestCredentials.Editor]));

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    public async Task A_change_committed_through_one_process_is_served_by_another_within_two_seconds(StorageProvider provider)
    {
        Assert.SkipWhen(TestDatabase.SkipReason(provider) is not null, TestDatabase.SkipReason(provider) ?? "");
        await using var database = await ServerDatabase.CreateMigratedAsync(provider);
        await using var writer = await ServerProcess.StartAsync([.. _credentials.ServerSettings(), .. database.Settings], ct: Ct);
        await using var reader = await ServerProcess.StartAsync([.. _credentials.ServerSettings(), .. database.Settings], ct: Ct);
        var lookup = new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "9503000090", AsOf = Date("2025-12-01") };
        var readerTariffs = new TariffService.TariffServiceClient(reader.Channel);
        var before = await readerTariffs.LookupDutyAsync(lookup, deadline: Deadline);

        var id = TestRecords.NewId("FRESH");
        var import = new ImportChangesRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = "freshness", ReviewedThrough = Date("2026-10-31"),
            Changes = { new PolicyChange { CreateTariffMeasure = TestRecords.ToyDuty(id) } },
        };
        await new PolicyAdminService.PolicyAdminServiceClient(writer.Channel).ImportAsync(import, Editor);
        var committed = DateTime.UtcNow;

        LookupDutyResponse after;
        do
        {
            after = await readerTariffs.LookupDutyAsync(lookup, deadline: Deadline);
        }
        while ((!after.Layers.Any(l => l.MeasureId == id) || after.Coverage.ReviewedThrough.Month != 10) && DateTime.UtcNow - committed < TimeSpan.FromSeconds(5));

        var elapsed = DateTime.UtcNow - committed;
        Assert.Contains(after.Layers, l => l.MeasureId == id);
        Assert.Equal(Date("2026-10-31"), after.Coverage.ReviewedThrough);   // the cached coverage, refreshed from the change log
        Assert.Equal(Date("2026-10-08"), before.Coverage.ReviewedThrough);   // the shipped 2026 update
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed.TotalMilliseconds:0} ms");
    }

    public void Dispose() => _credentials.Dispose();
}
