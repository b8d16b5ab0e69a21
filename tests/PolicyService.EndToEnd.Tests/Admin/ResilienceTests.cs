using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>Crashes and replicas: real server processes sharing one database file.</summary>
public sealed class ResilienceTests : IDisposable
{
    private readonly TestCredentials _credentials = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("policyservice-shared-").FullName;

    private string Database => Path.Combine(_directory, "policy.db");

    private Task<ServerProcess> Start() =>
        ServerProcess.StartAsync([.. _credentials.ServerSettings(), new("Storage:SqlitePath", Database)], ct: TestContext.Current.CancellationToken);

    private Metadata Editor => TestCredentials.Bearer(_credentials.Token("analyst-1", [TestCredentials.Editor]));

    [Fact]
    public async Task A_server_killed_in_the_middle_of_a_large_import_leaves_the_database_as_before_and_the_import_can_be_rerun()
    {
        var import = new ImportChangesRequest { RequestId = Guid.NewGuid().ToString(), Reason = "large import" };
        for (var i = 0; i < 20000; i++) import.Changes.Add(new PolicyChange { CreateTariffMeasure = TestRecords.ToyDuty($"BULK-{i:D5}") });

        await using (var server = await Start())
        {
            using var call = new PolicyAdminService.PolicyAdminServiceClient(server.Channel).ImportChanges(import, Editor);
            // Kill the process as soon as it reports records written inside the open transaction.
            while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
            {
                var progress = call.ResponseStream.Current.Progress;
                if (progress is { Phase: "writing", Done: > 0 })
                {
                    Assert.True(progress.Done < progress.Total, "the import finished before the kill; make it larger");
                    server.KillHard();
                    break;
                }
            }
        }

        await using (var restarted = await Start())
        {
            var tariffs = new TariffService.TariffServiceClient(restarted.Channel);
            var e = await Assert.ThrowsAsync<RpcException>(() => tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "BULK-00000" }, deadline: Deadline).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
            var page = await tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 1000 }, deadline: Deadline);
            Assert.Equal(48, page.TariffMeasures.Count);   // 39 seeded, 9 created by the 2026 update

            var result = await new PolicyAdminService.PolicyAdminServiceClient(restarted.Channel).ImportAsync(import, Editor);
            Assert.False(result.Replayed);
            Assert.Equal(20000, result.Records.Count);
            Assert.Equal("1", (await tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "BULK-19999" }, deadline: Deadline)).TariffMeasure.Etag);
        }
    }

    [Fact]
    public async Task A_change_committed_through_one_process_is_served_by_another_within_two_seconds()
    {
        await using var writer = await Start();
        await using var reader = await Start();
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
        while ((!after.Layers.Any(l => l.MeasureId == id) || !after.Coverage.ReviewedThrough.Equals(Date("2026-10-31"))) && DateTime.UtcNow - committed < TimeSpan.FromSeconds(5));

        var elapsed = DateTime.UtcNow - committed;
        Assert.Contains(after.Layers, l => l.MeasureId == id);
        Assert.Equal(Date("2026-10-31"), after.Coverage.ReviewedThrough);   // the cached coverage, refreshed from the change log
        Assert.Equal(Date("2026-10-08"), before.Coverage.ReviewedThrough);   // the shipped 2026 update
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed.TotalMilliseconds:0} ms");
    }

    public void Dispose()
    {
        _credentials.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
