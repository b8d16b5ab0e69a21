using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using PolicyService.Server.Api;
using PolicyService.Server.Changes;
using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;
using V1 = TradePolicy.V1;

namespace PolicyService.Storage.Tests;

/// <summary>A write that has committed is answered as committed, even when every read after the commit fails.</summary>
public sealed class CommittedWriteTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_create_whose_follow_up_reads_fail_still_answers_with_the_written_version()
    {
        using var real = new PolicyStore(database.Dialect!);
        await new Migrator(database.Dialect!).MigrateAsync(Ct);
        if (await real.LoadReferenceDataAsync(Ct) is null) await real.ApplyAsync(SeedData.ChangeSet(SeedData.Load()), Ct);
        var store = new ReadsFailAfterCommit(real);
        var catalog = new ReferenceCatalog(store);
        await catalog.ReloadAsync(Ct);
        var admin = new PolicyAdminGrpcService(store, catalog, new ChangePlanner(store, catalog), NullLogger<PolicyAdminGrpcService>.Instance);

        var measure = (await real.GetTariffMeasureAsync("TAR-US-14", DateTime.MaxValue, Ct))!.ToProto((await real.LoadReferenceDataAsync(Ct))!);
        measure.Id = "TEST-COMMITTED";
        measure.Sources.Add(new V1.Source { Id = "TEST-SRC", Title = "a source the write adds" });
        var response = await admin.CreateTariffMeasure(new V1.CreateTariffMeasureRequest { TariffMeasure = measure, Reason = "test" }, new EditorCall(Ct));

        Assert.True(store.Committed);
        Assert.Equal((1, "editor@test"), (response.TariffMeasure.Recorded.Version, response.TariffMeasure.Recorded.RecordedBy));
        Assert.Contains(response.TariffMeasure.Sources, s => s.Id == "TEST-SRC" && s.Title == "a source the write adds");
        Assert.Equal(1, (await real.GetTariffMeasureAsync("TEST-COMMITTED", DateTime.MaxValue, Ct))!.Recorded!.Version);
    }

    /// <summary>The real store, whose reads fail once a change set has committed (as when the database goes away right after).</summary>
    private sealed class ReadsFailAfterCommit(PolicyStore store) : IPolicyStore
    {
        public bool Committed { get; private set; }

        private Task<T> Read<T>(Func<Task<T>> read) =>
            Committed ? throw new StoreUnavailableException("gone after the commit", new TimeoutException()) : read();

        public async Task<ChangeResult> ApplyAsync(ChangeSet changes, CancellationToken ct, Action<int>? written = null)
        {
            var result = await store.ApplyAsync(changes, ct, written);
            Committed = true;
            return result;
        }

        public Task<IReadOnlyList<TariffMeasure>> FindTariffCandidatesAsync(string importer, string origin, string hsCode, DateTime knownAt, CancellationToken ct) =>
            Read(() => store.FindTariffCandidatesAsync(importer, origin, hsCode, knownAt, ct));
        public Task<TariffMeasure?> GetTariffMeasureAsync(string id, DateTime knownAt, CancellationToken ct) => Read(() => store.GetTariffMeasureAsync(id, knownAt, ct));
        public Task<IReadOnlyList<TariffMeasure>> GetTariffMeasureHistoryAsync(string id, CancellationToken ct) => Read(() => store.GetTariffMeasureHistoryAsync(id, ct));
        public Task<IReadOnlyList<TariffMeasure>> ListTariffMeasuresAsync(TariffFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
            Read(() => store.ListTariffMeasuresAsync(filter, after, take, knownAt, ct));
        public Task<IReadOnlyList<ExportControl>> FindExportCandidatesAsync(string exporter, string destination, ExportItem item, DateTime knownAt, CancellationToken ct) =>
            Read(() => store.FindExportCandidatesAsync(exporter, destination, item, knownAt, ct));
        public Task<ExportControl?> GetExportControlAsync(string id, DateTime knownAt, CancellationToken ct) => Read(() => store.GetExportControlAsync(id, knownAt, ct));
        public Task<IReadOnlyList<ExportControl>> GetExportControlHistoryAsync(string id, CancellationToken ct) => Read(() => store.GetExportControlHistoryAsync(id, ct));
        public Task<IReadOnlyList<ExportControl>> ListExportControlsAsync(ExportFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
            Read(() => store.ListExportControlsAsync(filter, after, take, knownAt, ct));
        public Task<IReadOnlyList<TruceBundle>> FindTrucesAsync(string partyA, string partyB, DateTime knownAt, CancellationToken ct) =>
            Read(() => store.FindTrucesAsync(partyA, partyB, knownAt, ct));
        public Task<Truce?> GetTruceAsync(string id, DateTime knownAt, CancellationToken ct) => Read(() => store.GetTruceAsync(id, knownAt, ct));
        public Task<IReadOnlyList<Truce>> ListTrucesAsync(TruceFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
            Read(() => store.ListTrucesAsync(filter, after, take, knownAt, ct));
        public Task<ReferenceData?> LoadReferenceDataAsync(CancellationToken ct) => Read(() => store.LoadReferenceDataAsync(ct));
        public Task<long> LatestChangeAsync(CancellationToken ct) => Read(() => store.LatestChangeAsync(ct));
        public Task<IReadOnlyList<ChangeEntry>> ChangesAfterAsync(long after, int take, CancellationToken ct) => Read(() => store.ChangesAfterAsync(after, take, ct));
        public Task<ChangeResult?> FindRequestAsync(string requestId, CancellationToken ct) => Read(() => store.FindRequestAsync(requestId, ct));
        public Task PingAsync(CancellationToken ct) => Read(async () => { await store.PingAsync(ct); return true; });
    }

    /// <summary>A call from an authenticated editor, as the authorization middleware leaves it.</summary>
    private sealed class EditorCall(CancellationToken ct) : ServerCallContext
    {
        private readonly Dictionary<object, object> _state = new()
        {
            ["__HttpContext"] = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "editor@test")], "test")) },
        };

        protected override string MethodCore => "/tradepolicy.v1.PolicyAdminService/CreateTariffMeasure";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => ct;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override IDictionary<object, object> UserStateCore => _state;
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
