using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>The calls both coverage test classes make.</summary>
public abstract class CoverageCalls<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : AdminFixture
{
    protected TFixture Fixture { get; } = Provider.Require(fixture);

    protected CoverageService.CoverageServiceClient Coverage => new(Fixture.Server.Channel);

    protected async Task<LookupDutyResponse> Duty(string importer, string origin, string hs = "8507600020", string asOf = "2025-11-15",
        string minChange = "", Google.Protobuf.WellKnownTypes.Timestamp? knownAt = null) =>
        await Fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest
        {
            Importer = importer, Origin = origin, HsCode = hs, AsOf = Date(asOf), MinChangeToken = minChange, KnownAt = knownAt,
        }, deadline: Deadline);
}

/// <summary>
/// What the data covers, as a caller who must not read silence as "no duty" sees it: every answer's coverage, the
/// coverage model from GetCoverage, and a change of it through the admin API. Run on every storage provider.
/// </summary>
public abstract class CoverageTests<TFixture>(TFixture fixture) : CoverageCalls<TFixture>(fixture) where TFixture : AdminFixture
{
    private const string NoMfn = "MFN base rates are not in the data: total_ad_valorem_percent adds up the additional duties covered, not the whole duty.";

    [Fact]
    public async Task US_imports_from_China_are_covered_and_say_the_MFN_rate_is_not_included()
    {
        var r = await Duty("US", "CN");
        Assert.Equal("27.5", r.TotalAdValoremPercent);   // List 4A 7.5 + fentanyl 10 + reciprocal 10: additional duties only
        Assert.True(r.Coverage.Covered);
        Assert.Empty(r.Coverage.Uncovered);
        Assert.False(r.Coverage.MfnIncluded);
        Assert.Equal(NoMfn, r.Coverage.Notice);
    }

    [Fact]
    public async Task US_imports_from_Vietnam_say_origin_specific_measures_are_not_covered()
    {
        var r = await Duty("US", "VN");
        Assert.False(r.Coverage.Covered);
        Assert.Equal(["origin-specific US measures for VN"], r.Coverage.Uncovered);
        Assert.StartsWith("Only measures applying to all origins are held for US imports from VN; origin-specific measures are not covered.",
            r.Coverage.Notice, StringComparison.Ordinal);
        Assert.EndsWith(NoMfn, r.Coverage.Notice, StringComparison.Ordinal);
        Assert.Empty(r.Layers);   // nothing of China's applies to Vietnam; the zero is labelled by its coverage
    }

    [Fact]
    public async Task An_importer_the_data_does_not_hold_still_answers_and_says_so()
    {
        var r = await Duty("DE", "CN");
        Assert.Equal("0", r.TotalAdValoremPercent);
        Assert.False(r.Coverage.Covered);
        Assert.Equal(["tariff measures of DE"], r.Coverage.Uncovered);
        Assert.Contains("The data holds no tariff measures of DE", r.Coverage.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task China_imports_from_a_third_country_are_not_covered_since_only_measures_on_US_goods_are_held()
    {
        var covered = await Duty("CN", "US", hs: "8703800000");
        Assert.True(covered.Coverage.Covered);
        var r = await Duty("CN", "JP", hs: "8703800000");
        Assert.False(r.Coverage.Covered);
        Assert.Equal(["CN measures for JP"], r.Coverage.Uncovered);
        Assert.Contains("CN measures are held only for goods from US; CN imports from JP are not covered.", r.Coverage.Notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("US", "CN")]
    [InlineData("US", "VN")]
    [InlineData("CN", "US")]
    [InlineData("DE", "CN")]
    public async Task Every_duty_answer_says_MFN_is_not_included_lookups_and_timelines_alike(string importer, string origin)
    {
        var lookup = await Duty(importer, origin);
        var timeline = await Fixture.Tariffs.GetDutyTimelineAsync(new GetDutyTimelineRequest
        {
            Importer = importer, Origin = origin, HsCode = "8507600020", StartDate = Date("2025-01-01"), EndDate = Date("2026-01-01"),
        }, deadline: Deadline);
        var basic = await Fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest
        {
            Importer = importer, Origin = origin, HsCode = "8507600020", AsOf = Date("2025-11-15"), View = DutyView.Basic,
        }, deadline: Deadline);
        foreach (var coverage in new[] { lookup.Coverage, timeline.Coverage })
        {
            Assert.False(coverage.MfnIncluded);
            Assert.Contains(NoMfn, coverage.Notice, StringComparison.Ordinal);
        }
        Assert.False(basic.Coverage.MfnIncluded);   // BASIC keeps the fields and leaves the sentences out
        Assert.Equal("", basic.Coverage.Notice);
        Assert.Equal(lookup.Coverage.Uncovered, timeline.Coverage.Uncovered);
        Assert.Equal(lookup.Coverage.Uncovered, basic.Coverage.Uncovered);
    }

    [Fact]
    public async Task Export_and_truce_answers_carry_their_coverage_too()
    {
        async Task<Coverage> Export(string exporter, string destination) =>
            (await Fixture.ExportControls.CheckExportAsync(new CheckExportRequest
            {
                Exporter = exporter, Destination = destination, Item = "gallium", AsOf = Date("2025-11-15"),
            }, deadline: Deadline)).Coverage;
        Assert.True((await Export("CN", "US")).Covered);
        var japan = await Export("CN", "JP");
        Assert.Equal(["destination-specific CN controls for JP"], japan.Uncovered);
        Assert.Contains("Only controls applying to all destinations are held for CN exports to JP", japan.Notice, StringComparison.Ordinal);
        Assert.Equal(["export controls of DE"], (await Export("DE", "US")).Uncovered);
        Assert.Equal(["US controls for DE"], (await Export("US", "DE")).Uncovered);
        Assert.All(new[] { await Export("CN", "US"), japan }, c => Assert.False(c.MfnIncluded));

        async Task<Coverage> Truce(string a, string b) =>
            (await Fixture.Truces.GetTruceStatusAsync(new GetTruceStatusRequest { PartyA = a, PartyB = b, AsOf = Date("2025-11-15") }, deadline: Deadline)).Coverage;
        Assert.True((await Truce("CN", "US")).Covered);
        Assert.Equal(["truces between DE and FR"], (await Truce("DE", "FR")).Uncovered);
    }

    [Fact]
    public async Task GetCoverage_lists_the_scope_by_jurisdiction_with_reviewed_through_dates()
    {
        // As a reader: who recorded a version is shown to readers only, once authentication is configured.
        var model = (await Coverage.GetCoverageAsync(new GetCoverageRequest(), Fixture.Reader(), Deadline)).Coverage;
        Assert.Equal("", (await Coverage.GetCoverageAsync(new GetCoverageRequest(), deadline: Deadline)).Coverage.Recorded.RecordedBy);
        var us = model.Tariffs.Single(t => t.Importer == "US");
        Assert.Equal(["CN"], us.Origins);
        Assert.True(us.AllOriginMeasures);
        Assert.Contains(TariffKind.Section301, us.Kinds);
        Assert.Contains(TariffKind.IeepaReciprocal, us.Kinds);
        Assert.DoesNotContain(TariffKind.Mfn, us.Kinds);
        var cn = model.Tariffs.Single(t => t.Importer == "CN");
        Assert.Equal(["US"], cn.Origins);
        Assert.False(cn.AllOriginMeasures);
        Assert.Equal([TariffKind.Retaliatory, TariffKind.Other], cn.Kinds);
        Assert.Equal(["CN", "US"], model.ExportControls.Select(e => e.Exporter));
        Assert.Equal(("US", "CN"), (model.Truces.Single().PartyA, model.Truces.Single().PartyB));
        // Every part reviewed with the whole data: the shipped 2026 update's date, filled in for each part.
        Assert.Equal(Date("2026-10-08"), model.ReviewedThrough);
        Assert.All(model.Tariffs.Select(t => t.ReviewedThrough).Concat(model.ExportControls.Select(e => e.ReviewedThrough)),
            d => Assert.Equal(Date("2026-10-08"), d));
        // Version 2: the Section 232 document recorded what of Section 232 the data still does not hold.
        Assert.Equal("2", model.Etag);
        Assert.Contains("Section 232 (shared/reference/us-section232) is held", us.Note, StringComparison.Ordinal);
        Assert.Equal("seed", model.Recorded.RecordedBy);
    }

    [Fact]
    public async Task A_stale_etag_is_aborted_and_a_bad_model_is_invalid_naming_the_field_and_nothing_is_written()
    {
        var current = (await Coverage.GetCoverageAsync(new GetCoverageRequest(), deadline: Deadline)).Coverage;
        async Task<RpcException> Update(DataCoverage model, string etag, string reason = "test") =>
            await Assert.ThrowsAsync<RpcException>(() => Fixture.Admin.UpdateCoverageAsync(
                new UpdateCoverageRequest { Coverage = model, Etag = etag, Reason = reason }, Fixture.Editor(), Deadline).ResponseAsync);

        var stale = await Update(current, "0");
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal(current.Etag, stale.ErrorInfo()?.Metadata["current_etag"]);

        var bad = current.Clone();
        bad.Tariffs[0].Importer = "XX";
        bad.Tariffs[1].Origins.Add("C1");
        bad.Tariffs[1].Kinds.Add(TariffKind.Unspecified);
        bad.ExportControls.Add(new ExportCoverage { Exporter = "CN" });
        var invalid = await Update(bad, current.Etag);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Equal(["coverage.export_controls[2].exporter", "coverage.tariffs[0].importer", "coverage.tariffs[1].kinds[2]", "coverage.tariffs[1].origins[1]"],
            invalid.ViolatedFields().Order(StringComparer.Ordinal));

        Assert.Equal(["etag"], (await Update(current, "")).ViolatedFields());
        Assert.Equal(["reason"], (await Update(current, current.Etag, reason: " ")).ViolatedFields());
        Assert.Equal(["coverage"], (await Assert.ThrowsAsync<RpcException>(() => Fixture.Admin.UpdateCoverageAsync(
            new UpdateCoverageRequest { Etag = current.Etag, Reason = "r" }, Fixture.Editor(), Deadline).ResponseAsync)).ViolatedFields());

        var after = (await Coverage.GetCoverageAsync(new GetCoverageRequest(), deadline: Deadline)).Coverage;
        Assert.Equal(current, after);
    }

    [Fact]
    public async Task Only_an_editor_may_change_the_coverage()
    {
        var current = (await Coverage.GetCoverageAsync(new GetCoverageRequest(), deadline: Deadline)).Coverage;
        var e = await Assert.ThrowsAsync<RpcException>(() => Fixture.Admin.UpdateCoverageAsync(
            new UpdateCoverageRequest { Coverage = current, Etag = current.Etag, Reason = "r" }, Fixture.Reader(), Deadline).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => Fixture.Admin.UpdateCoverageAsync(
            new UpdateCoverageRequest { Coverage = current, Etag = current.Etag, Reason = "r" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }
}

/// <summary>A change of the coverage model, on a server of its own: the other coverage tests read the shipped model.</summary>
public abstract class CoverageChangeTests<TFixture>(TFixture fixture) : CoverageCalls<TFixture>(fixture) where TFixture : AdminFixture
{
    [Fact]
    public async Task A_coverage_change_recorded_through_the_admin_API_shows_in_the_next_answers_and_not_as_known_before()
    {
        var before = await Duty("US", "VN");
        Assert.False(before.Coverage.Covered);
        var current = (await Coverage.GetCoverageAsync(new GetCoverageRequest(), deadline: Deadline)).Coverage;

        var edited = current.Clone();
        edited.Tariffs.Single(t => t.Importer == "US").Origins.Add("VN");
        edited.Tariffs.Add(new TariffCoverage
        {
            Importer = "DE", Origins = { "CN" }, AllOriginMeasures = true, Kinds = { TariffKind.Antidumping },
            ReviewedThrough = Date("2026-09-30"), Note = "test: EU anti-dumping duties",
        });
        var written = await Fixture.Admin.UpdateCoverageAsync(new UpdateCoverageRequest
        {
            Coverage = edited, Etag = current.Etag, Reason = "VN origin reviewed; DE added",
        }, Fixture.Editor("analyst-cov"), Deadline);
        var next = int.Parse(current.Etag, System.Globalization.CultureInfo.InvariantCulture) + 1;
        Assert.Equal(next.ToString(System.Globalization.CultureInfo.InvariantCulture), written.Coverage.Etag);
        Assert.Equal("analyst-cov", written.Coverage.Recorded.RecordedBy);

        var vietnam = await Duty("US", "VN", minChange: written.ChangeToken);
        Assert.True(vietnam.Coverage.Covered);
        Assert.Empty(vietnam.Coverage.Uncovered);
        var germany = await Duty("DE", "CN", minChange: written.ChangeToken);
        Assert.True(germany.Coverage.Covered);
        Assert.Equal(Date("2026-09-30"), germany.Coverage.ReviewedThrough);   // the part's own date, not the data's
        Assert.True((await Duty("DE", "CN", asOf: "2026-10-01", minChange: written.ChangeToken)).Coverage.BeyondReviewedHorizon);

        // As known before the change, the old answer, to the field.
        var reproduced = await Duty("US", "VN", knownAt: before.KnownAt);
        Assert.False(reproduced.Coverage.Covered);
        Assert.Equal(before.Coverage.Uncovered, reproduced.Coverage.Uncovered);
        var old = (await Coverage.GetCoverageAsync(new GetCoverageRequest { KnownAt = before.KnownAt }, deadline: Deadline)).Coverage;
        Assert.Equal(current.Etag, old.Etag);

        // The change is in the change feed like every other write.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        using var feed = Fixture.Feed.WatchChanges(new WatchChangesRequest(), Fixture.Reader(), cancellationToken: cts.Token);
        PolicyChangeEvent? change = null;
        while (change is null && await feed.ResponseStream.MoveNext(cts.Token))
        {
            if (feed.ResponseStream.Current.Change is { ResourceType: "coverage" } c && c.Version == next) change = c;
        }
        Assert.Equal(("coverage", "UPDATE", "analyst-cov", "VN origin reviewed; DE added"), (change!.ResourceId, change.ChangeKind, change.RecordedBy, change.Reason));
    }

    [Fact]
    public async Task An_import_carries_a_coverage_model_all_or_nothing_with_its_etag()
    {
        var current = (await Coverage.GetCoverageAsync(new GetCoverageRequest(), deadline: Deadline)).Coverage;
        var widened = current.Clone();
        widened.Truces.Add(new TruceCoverage { PartyA = "US", PartyB = "VN", Note = "test" });
        ImportChangesRequest Import(string id, string etag) => new()
        {
            RequestId = id, Reason = "coverage by import", Coverage = widened, CoverageEtag = etag,
        };

        // A stale etag aborts the import and writes nothing.
        var stale = await Assert.ThrowsAsync<RpcException>(() => Fixture.Admin.ImportAsync(Import(TestRecords.NewId("COV-STALE"), "999"), Fixture.Editor()));
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal(current.Etag, (await Coverage.GetCoverageAsync(new GetCoverageRequest(), deadline: Deadline)).Coverage.Etag);

        var result = await Fixture.Admin.ImportAsync(Import(TestRecords.NewId("COV"), current.Etag), Fixture.Editor());
        var written = Assert.Single(result.Records);
        Assert.Equal(("coverage", "coverage"), (written.ResourceType, written.Id));
        var truce = await Fixture.Truces.GetTruceStatusAsync(new GetTruceStatusRequest
        {
            PartyA = "VN", PartyB = "US", AsOf = Date("2025-11-15"), MinChangeToken = result.ChangeToken,
        }, deadline: Deadline);
        Assert.True(truce.Coverage.Covered);
        Assert.Empty(truce.Truces);   // covered and none: now a statement that there is none
    }
}

public sealed class SqliteCoverageTests(AdminFixture fixture) : CoverageTests<AdminFixture>(fixture);

public sealed class SqlServerCoverageTests(SqlServerAdminFixture fixture) : CoverageTests<SqlServerAdminFixture>(fixture);

public sealed class SqliteCoverageChangeTests(AdminFixture fixture) : CoverageChangeTests<AdminFixture>(fixture);

public sealed class SqlServerCoverageChangeTests(SqlServerAdminFixture fixture) : CoverageChangeTests<SqlServerAdminFixture>(fixture);
