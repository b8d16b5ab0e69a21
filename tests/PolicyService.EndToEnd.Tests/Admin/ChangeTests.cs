using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>Run on every storage provider: see the concrete classes at the end of the file.</summary>
public abstract class ChangeTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : AdminFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private Task<LookupDutyResponse> Toys(string asOf, Google.Protobuf.WellKnownTypes.Timestamp? knownAt = null) =>
        fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest
        {
            Importer = "US", Origin = "CN", HsCode = "9503000090", AsOf = Date(asOf), KnownAt = knownAt,
        }, deadline: Deadline).ResponseAsync;

    private Task<RecordStatusChangeResponse> Revoke(string id, string effective, string? etag = null) =>
        fixture.Admin.RecordStatusChangeAsync(new RecordStatusChangeRequest
        {
            Reason = "withdrawn",
            StatusChange = new StatusChange
            {
                MeasureId = id, Status = PeriodStatus.Revoked, EffectiveDate = Date(effective), RecordId = "TEST-REVOCATION",
                Confidence = Confidence.Reported, Etag = etag ?? "", Sources = { new Source { Id = "S-TEST-TOYS" } },
            },
        }, fixture.Editor(), Deadline).ResponseAsync;

    [Fact]
    public async Task A_recorded_change_is_served_at_once_and_the_old_answer_stays_reproducible_with_known_at()
    {
        var id = TestRecords.NewId("KNOWN");
        await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(id, rate: "12.5"));
        var before = await Toys("2025-12-01");
        Assert.Contains(before.Layers, l => l.MeasureId == id && l.AdValoremPercent == "12.5");

        var revoked = await Revoke(id, "2025-11-20");
        Assert.Equal(2, revoked.TariffMeasure.Recorded.Version);
        Assert.Equal(PeriodStatus.Revoked, revoked.TariffMeasure.Periods[^1].Status);
        Assert.Equal(Date("2025-11-20"), revoked.TariffMeasure.Periods[0].EndDate);

        var after = await Toys("2025-12-01");
        Assert.DoesNotContain(after.Layers, l => l.MeasureId == id);
        Assert.Equal(decimal.Parse(before.TotalAdValoremPercent, System.Globalization.CultureInfo.InvariantCulture) - 12.5m,
            decimal.Parse(after.TotalAdValoremPercent, System.Globalization.CultureInfo.InvariantCulture));

        // Last week's quote, to the digit: the same request as known at the instant it was first answered.
        // Only where the answer came from differs: the snapshot then (with its time), the database now.
        var reproduced = await Toys("2025-12-01", before.KnownAt);
        Assert.NotNull(before.Coverage.SnapshotTime);
        Assert.Null(reproduced.Coverage.SnapshotTime);
        before.Coverage.SnapshotTime = null;
        Assert.Equal(before.ToString(), reproduced.ToString().Replace(reproduced.ChangeToken, before.ChangeToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_analysts_editing_one_measure_at_once_exactly_one_wins_and_the_other_is_told()
    {
        var created = await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(TestRecords.NewId("RACE")));
        async Task<StatusCode> Edit(string analyst, string rate)
        {
            var edited = created.Clone();
            edited.Periods[0].AdValoremPercent = rate;
            try
            {
                await fixture.Admin.UpdateTariffMeasureAsync(new UpdateTariffMeasureRequest { TariffMeasure = edited, Etag = created.Etag, Reason = $"{analyst} edit" },
                    fixture.Editor(analyst), Deadline);
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }
        var outcomes = await Task.WhenAll(Edit("alice", "20"), Edit("bob", "30"));
        Assert.Equal([StatusCode.OK, StatusCode.Aborted], outcomes.Order());
        // The expected second version is the winner's own edit, known from the inputs, never read back from the server.
        var (winner, rate) = outcomes[0] == StatusCode.OK ? ("alice", "20") : ("bob", "30");

        var stored = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = created.Id }, deadline: Deadline)).TariffMeasure;
        Assert.Equal("2", stored.Etag);
        Assert.Equal(rate, stored.Periods[0].AdValoremPercent);
        var history = await fixture.Admin.GetHistoryAsync(new GetHistoryRequest { Id = created.Id }, fixture.Editor(), Deadline);
        Assert.Equal(["15", rate], history.TariffMeasureVersions.Select(v => v.Periods[0].AdValoremPercent));
        Assert.Equal($"{winner} edit", history.TariffMeasureVersions[1].Recorded.Reason);
    }

    [Fact]
    public async Task A_stale_etag_is_aborted_and_changes_nothing()
    {
        var created = await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(TestRecords.NewId("STALE")));
        await Revoke(created.Id, "2025-06-01", etag: "1");
        var e = await Assert.ThrowsAsync<RpcException>(() => Revoke(created.Id, "2025-07-01", etag: "1"));
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Equal("ETAG_MISMATCH", e.ErrorInfo()?.Reason);
        Assert.Equal("2", e.ErrorInfo()?.Metadata["current_etag"]);
        var history = await fixture.Admin.GetHistoryAsync(new GetHistoryRequest { Id = created.Id }, fixture.Editor(), Deadline);
        Assert.Equal(2, history.TariffMeasureVersions.Count);
    }

    [Theory]
    [MemberData(nameof(InvalidChanges.InvalidMeasures), MemberType = typeof(InvalidChanges))]
    public async Task An_invalid_change_is_rejected_naming_the_field_and_writes_nothing(string defect, string field)
    {
        var measure = TestRecords.ToyDuty(TestRecords.NewId("BAD"));
        var first = measure.Periods[0];
        switch (defect)
        {
            case "overlap":
                first.EndDate = Date("2025-06-01");
                measure.Periods.Add(new TariffPeriod { RecordId = "X", StartDate = Date("2025-05-01"), Status = PeriodStatus.InForce, AdValoremPercent = "20", Confidence = Confidence.Reported });
                break;
            case "end-before-start": first.EndDate = Date("2024-12-01"); break;
            case "not-a-decimal": first.AdValoremPercent = "twelve"; break;
            case "unknown-term": first.TruceTermId = "TRU-99"; break;
            case "unknown-source": measure.Sources.Clear(); measure.Sources.Add(new Source { Id = "S-NOWHERE" }); break;
            case "bad-prefix": measure.ProductScope.HsPrefixes.Add("950"); break;
            case "bad-exclusion-prefix" or "exclusion-end-before-start":
                // Three good dated exclusions first, so the path must name the fourth by its index.
                for (var i = 0; i < 3; i++)
                    measure.ProductScope.DatedExclusions.Add(new ScopeExclusion { HsPrefix = $"950{i}", StartDate = Date("2025-04-05"), Basis = "fine" });
                measure.ProductScope.DatedExclusions.Add(defect == "bad-exclusion-prefix"
                    ? new ScopeExclusion { HsPrefix = "95O3", Basis = "a letter O" }
                    : new ScopeExclusion { HsPrefix = "9503", StartDate = Date("2025-11-13"), EndDate = Date("2025-11-13"), Basis = "empty period" });
                break;
            case "no-kind": measure.Kind = TariffKind.Unspecified; break;
        }
        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.Admin.CreateTariffMeasureAsync(
            new CreateTariffMeasureRequest { TariffMeasure = measure, Reason = "invalid" }, fixture.Editor(), Deadline).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(field, e.ViolatedFields());
        var missing = await Assert.ThrowsAsync<RpcException>(() => fixture.Tariffs.GetTariffMeasureAsync(
            new GetTariffMeasureRequest { Id = measure.Id }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_status_change_before_the_latest_period_is_rejected()
    {
        var created = await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(TestRecords.NewId("ORDER")));
        var e = await Assert.ThrowsAsync<RpcException>(() => Revoke(created.Id, "2024-06-01"));
        Assert.Equal(["status_change.effective_date"], e.ViolatedFields());
    }

    [Fact]
    public async Task A_reason_is_required()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.Admin.CreateTariffMeasureAsync(
            new CreateTariffMeasureRequest { TariffMeasure = TestRecords.ToyDuty(TestRecords.NewId("WHY")) }, fixture.Editor(), Deadline).ResponseAsync);
        Assert.Equal(["reason"], e.ViolatedFields());
    }

    [Fact]
    public async Task Creating_an_existing_id_is_already_exists()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.Admin.CreateTariffMeasureAsync(
            new CreateTariffMeasureRequest { TariffMeasure = TestRecords.ToyDuty("TAR-US-14"), Reason = "clash" }, fixture.Editor(), Deadline).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
    }

    [Fact]
    public async Task An_import_is_all_or_nothing_and_idempotent_by_request_id()
    {
        var good = TestRecords.ToyDuty(TestRecords.NewId("IMPA"));
        var bad = TestRecords.ToyDuty(TestRecords.NewId("IMPB"));
        bad.Periods[0].AdValoremPercent = "ten";
        var request = new ImportChangesRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = "weekly update",
            Changes = { new PolicyChange { CreateTariffMeasure = good }, new PolicyChange { CreateTariffMeasure = bad } },
        };
        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.Admin.ImportAsync(request, fixture.Editor()));
        Assert.Equal(["changes[1].create_tariff_measure.periods[0].ad_valorem_percent"], e.ViolatedFields());
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => fixture.Tariffs.GetTariffMeasureAsync(
            new GetTariffMeasureRequest { Id = good.Id }, deadline: Deadline).ResponseAsync)).StatusCode);

        request.Changes[1].CreateTariffMeasure.Periods[0].AdValoremPercent = "10";
        request.Changes.Add(new PolicyChange
        {
            StatusChange = new StatusChange
            {
                MeasureId = good.Id, Status = PeriodStatus.Suspended, EffectiveDate = Date("2025-11-10"), SuspendedUntil = Date("2026-11-10"),
                TruceTermId = "TRU-15", RecordId = "TEST-SUSPENSION", Confidence = Confidence.Reported, Sources = { new Source { Id = "S01" } },
            },
        });
        var first = await fixture.Admin.ImportAsync(request, fixture.Editor());
        Assert.False(first.Replayed);
        Assert.Equal([(good.Id, 1), (bad.Id, 1), (good.Id, 2)], first.Records.Select(r => (r.Id, r.Version)));
        Assert.Equal(first.FirstSequence + 2, first.LastSequence);

        var retried = await fixture.Admin.ImportAsync(request, fixture.Editor());
        Assert.True(retried.Replayed);
        Assert.Equal((first.FirstSequence, first.LastSequence), (retried.FirstSequence, retried.LastSequence));
        var history = await fixture.Admin.GetHistoryAsync(new GetHistoryRequest { Id = good.Id }, fixture.Editor(), Deadline);
        Assert.Equal(2, history.TariffMeasureVersions.Count);

        var suspended = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "950300", AsOf = Date("2025-12-01") }, deadline: Deadline);
        Assert.Contains(suspended.TruceEffects, t => t.MeasureId == good.Id && t.TruceTermId == "TRU-15" && t.Until.Equals(Date("2026-11-10")));
    }
}

public sealed class SqliteChangeTests(AdminFixture fixture) : ChangeTests<AdminFixture>(fixture);

public sealed class SqlServerChangeTests(SqlServerAdminFixture fixture) : ChangeTests<SqlServerAdminFixture>(fixture);

public static class InvalidChanges
{
    public static TheoryData<string, string> InvalidMeasures => new()
    {
        { "overlap", "tariff_measure.periods[1].start_date" },
        { "end-before-start", "tariff_measure.periods[0].end_date" },
        { "not-a-decimal", "tariff_measure.periods[0].ad_valorem_percent" },
        { "unknown-term", "tariff_measure.periods[0].truce_term_id" },
        { "unknown-source", "tariff_measure.sources" },
        { "bad-prefix", "tariff_measure.product_scope.hs_prefixes" },
        { "bad-exclusion-prefix", "tariff_measure.product_scope.dated_exclusions[3].hs_prefix" },
        { "exclusion-end-before-start", "tariff_measure.product_scope.dated_exclusions[3].end_date" },
        { "no-kind", "tariff_measure.kind" },
    };
}

internal static class AdminCalls
{
    /// <summary>Runs an import to its end and returns its result (progress messages are skipped).</summary>
    public static async Task<ImportResult> ImportAsync(this PolicyAdminService.PolicyAdminServiceClient admin, ImportChangesRequest request, Metadata headers)
    {
        using var call = admin.ImportChanges(request, headers, DateTime.UtcNow.AddMinutes(2));
        ImportResult? result = null;
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            if (message.EventCase == ImportChangesResponse.EventOneofCase.Result) result = message.Result;
        }
        return result ?? throw new InvalidOperationException("The import ended without a result.");
    }
}
