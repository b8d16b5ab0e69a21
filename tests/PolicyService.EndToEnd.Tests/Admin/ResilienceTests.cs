using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>Crashes: real server processes sharing one database file (replicas: <see cref="ReplicaTests"/>).</summary>
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
            // 39 seeded, 9 created by the 2026 update, List 4B (TAR-US-04.2) by the product lists, 25 by the Section 232 document
            Assert.Equal(74, page.TariffMeasures.Count);

            var result = await new PolicyAdminService.PolicyAdminServiceClient(restarted.Channel).ImportAsync(import, Editor);
            Assert.False(result.Replayed);
            Assert.Equal(20000, result.Records.Count);
            Assert.Equal("1", (await tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "BULK-19999" }, deadline: Deadline)).TariffMeasure.Etag);
        }
    }

    public void Dispose()
    {
        _credentials.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
