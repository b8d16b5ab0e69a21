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

    [Theory]
    [InlineData(StorageProvider.Sqlite, "00:00:00.2")]
    [InlineData(StorageProvider.Sqlite, "00:00:10")]
    [InlineData(StorageProvider.SqlServer, "00:00:00.2")]
    public async Task A_read_with_the_change_token_of_a_write_through_another_process_sees_the_write_on_the_first_try(StorageProvider provider, string readerRefresh)
    {
        // With a 10 s refresh the reader's snapshot is behind every time: the token sends the read to the database.
        Assert.SkipWhen(TestDatabase.SkipReason(provider) is not null, TestDatabase.SkipReason(provider) ?? "");
        await using var database = await ServerDatabase.CreateMigratedAsync(provider);
        await using var writer = await ServerProcess.StartAsync([.. _credentials.ServerSettings(), .. database.Settings], ct: Ct);
        await using var reader = await ServerProcess.StartAsync(
            [.. _credentials.ServerSettings(), .. database.Settings, new("Snapshot:RefreshInterval", readerRefresh), new("Snapshot:MinChangeTokenWait", "00:00:00.5")], ct: Ct);
        var admin = new PolicyAdminService.PolicyAdminServiceClient(writer.Channel);
        var readerTariffs = new TariffService.TariffServiceClient(reader.Channel);
        var writerTariffs = new TariffService.TariffServiceClient(writer.Channel);

        for (var i = 0; i < 10; i++)
        {
            var id = TestRecords.NewId("TOKEN");
            var created = await admin.CreateTariffMeasureAsync(
                new CreateTariffMeasureRequest { TariffMeasure = TestRecords.ToyDuty(id), Reason = "token test" }, Editor, Deadline, Ct);
            Assert.NotEmpty(created.ChangeToken);
            var lookup = new LookupDutyRequest
            {
                Importer = "US", Origin = "CN", HsCode = "9503000090", AsOf = Date("2025-12-01"), MinChangeToken = created.ChangeToken,
            };
            var answer = await readerTariffs.LookupDutyAsync(lookup, deadline: Deadline, cancellationToken: Ct);
            Assert.Contains(answer.Layers, l => l.MeasureId == id);
            var get = await readerTariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id, MinChangeToken = created.ChangeToken }, deadline: Deadline, cancellationToken: Ct);
            Assert.Equal(id, get.TariffMeasure.Id);
            // The writing process shows its own commit at once, without a token.
            Assert.Contains((await writerTariffs.LookupDutyAsync(new LookupDutyRequest(lookup) { MinChangeToken = "" }, deadline: Deadline, cancellationToken: Ct)).Layers,
                l => l.MeasureId == id);
        }
    }

    [Fact]
    public async Task A_token_this_service_did_not_issue_is_invalid_argument_naming_the_field()
    {
        await using var database = await ServerDatabase.CreateMigratedAsync(StorageProvider.Sqlite);
        await using var server = await ServerProcess.StartAsync([.. _credentials.ServerSettings(), .. database.Settings], ct: Ct);
        var e = await Assert.ThrowsAsync<RpcException>(() => new TariffService.TariffServiceClient(server.Channel).LookupDutyAsync(
            new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "950300", MinChangeToken = "AQEAAAAAAAA" }, deadline: Deadline, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["min_change_token"], e.ViolatedFields());
    }

    public void Dispose() => _credentials.Dispose();
}
