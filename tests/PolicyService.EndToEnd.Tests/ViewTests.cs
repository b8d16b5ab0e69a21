using Google.Protobuf;
using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>Answer views (AIP-157) and the sources a BASIC answer names by id, asked of the real server.</summary>
public class ViewTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly DateTime KnownAt = DateTime.UtcNow;

    private Task<LookupDutyResponse> Duty(DutyView view, string hsCode = "8507.60.00.20") => fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest
    {
        Importer = "US", Origin = "CN", HsCode = hsCode, AsOf = Date("2025-11-15"), View = view,
        KnownAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(KnownAt),
    }, deadline: Deadline).ResponseAsync;

    [Fact]
    public async Task A_basic_duty_answer_is_the_full_answer_with_what_pricing_does_not_need_cleared()
    {
        var full = await Duty(DutyView.Full);
        var basic = await Duty(DutyView.Basic);

        // Written out here, independently of the server: what BASIC leaves out of a duty answer.
        var expected = full.Clone();
        foreach (var layer in expected.Layers.Concat(expected.AnnouncedMeasures).Concat(expected.NonAdValoremMeasures).Concat(expected.ExcludedLayers.Select(x => x.Layer))
                     .Concat(expected.ExemptedLayers.Select(x => x.Layer)))
        {
            layer.Title = "";
            layer.MatchedHsPrefix = "";
            layer.Period = new TariffPeriod { RecordId = layer.Period.RecordId, StartDate = layer.Period.StartDate, EndDate = layer.Period.EndDate };
            foreach (var source in layer.Sources) { source.Title = ""; source.Urls.Clear(); }
        }
        foreach (var layer in expected.AnnouncedMeasures.Concat(expected.NonAdValoremMeasures).Concat(expected.ExcludedLayers.Select(x => x.Layer))
                     .Concat(expected.ExemptedLayers.Select(x => x.Layer)))
        {
            layer.LegalInstrument = "";
            layer.Sources.Clear();
        }
        foreach (var excluded in expected.ExcludedLayers) excluded.Reason = "";
        foreach (var exempted in expected.ExemptedLayers) exempted.Reason = "";
        foreach (var effect in expected.TruceEffects) effect.Description = "";
        expected.Product = null;
        expected.KnownAt = null;
        expected.Coverage.Notice = "";

        Assert.Equal(expected, basic);
        Assert.Equal("27.5", basic.TotalAdValoremPercent);
        Assert.Equal(["TAR-US-04", "TAR-US-14", "TAR-US-17"], basic.Layers.Select(l => l.MeasureId));
        // An exempted layer keeps its ids and prefix in BASIC, not its reason: diodes are exempt from the reciprocal duty.
        var diodes = await Duty(DutyView.Basic, "8541.10.00.80");
        var diodeExemption = Assert.Single(diodes.ExemptedLayers);
        Assert.Equal(("TAR-US-17", "85411000", ""), (diodeExemption.Layer.MeasureId, diodeExemption.ExcludedHsPrefix, diodeExemption.Reason));
        Assert.NotEmpty(Assert.Single((await Duty(DutyView.Full, "8541.10.00.80")).ExemptedLayers).Reason);
        Assert.All(basic.Layers, l => Assert.NotEmpty(l.LegalInstrument));
    }

    [Fact]
    public async Task The_default_view_is_full_and_basic_stays_near_a_kilobyte()
    {
        var unspecified = await Duty(DutyView.Unspecified);
        var full = await Duty(DutyView.Full);
        var basic = await Duty(DutyView.Basic);

        Assert.Equal(full, unspecified);
        TestContext.Current.TestOutputHelper?.WriteLine($"LookupDuty US<-CN 8507.60.00.20 on 2025-11-15: FULL {full.CalculateSize()} bytes, BASIC {basic.CalculateSize()} bytes");
        // Three in-force layers since batteries pay the reciprocal duty (1,029 bytes measured; two layers made 1,014).
        Assert.True(basic.CalculateSize() <= 1100, $"BASIC is {basic.CalculateSize()} bytes (FULL {full.CalculateSize()})");
        Assert.True(full.CalculateSize() > 4 * basic.CalculateSize());

        // Answered from the snapshot (no known_at), it also carries the snapshot's time: still within the bound.
        var current = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest
        {
            Importer = "US", Origin = "CN", HsCode = "8507.60.00.20", AsOf = Date("2025-11-15"), View = DutyView.Basic,
        }, deadline: Deadline);
        Assert.NotNull(current.Coverage.SnapshotTime);
        Assert.NotEmpty(current.ChangeToken);
        Assert.True(current.CalculateSize() <= 1100, $"BASIC from the snapshot is {current.CalculateSize()} bytes");
    }

    [Fact]
    public async Task Basic_export_and_truce_answers_keep_the_outcome_ids_and_dates()
    {
        var request = new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "gallium", AsOf = Date("2025-12-01") };
        var full = await fixture.ExportControls.CheckExportAsync(request, deadline: Deadline);
        request.View = ExportView.Basic;
        var basic = await fixture.ExportControls.CheckExportAsync(request, deadline: Deadline);
        Assert.Equal((full.LicenseRequired, full.Prohibited), (basic.LicenseRequired, basic.Prohibited));
        Assert.Equal(full.ControlsSuspended.Select(c => (c.ControlId, c.Period.SuspendedUntil)), basic.ControlsSuspended.Select(c => (c.ControlId, c.Period.SuspendedUntil)));
        Assert.All(basic.ControlsInForce.Concat(basic.ControlsSuspended), c => Assert.True(c.Title == "" && c.Sources.All(s => s.Title == "")));

        var truce = new GetTruceStatusRequest { PartyA = "US", PartyB = "CN", AsOf = Date("2025-11-15"), View = TruceView.Basic };
        var status = Assert.Single((await fixture.Truces.GetTruceStatusAsync(truce, deadline: Deadline)).Truces);
        Assert.Equal(("TRUCE-US-CN-2025", new Google.Type.Date { Year = 2026, Month = 11, Day = 10 }, 360), (status.Truce.Id, status.ExpiryDate, status.DaysRemaining));
        Assert.Empty(status.Truce.Events);
        Assert.All(status.ResumingMeasures, r => Assert.True(r.MeasureId.Length > 0 && r.ResumesOn is not null && r.Description == ""));
    }

    [Fact]
    public async Task An_unknown_view_is_invalid_argument_on_view()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Duty((DutyView)7));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["view"], e.ViolatedFields());
    }

    [Fact]
    public async Task Every_source_a_basic_answer_names_can_be_fetched_and_listed()
    {
        var sources = new SourceService.SourceServiceClient(fixture.Server.Channel);
        var basic = await Duty(DutyView.Basic);
        foreach (var id in basic.Layers.SelectMany(l => l.Sources).Select(s => s.Id).Distinct())
        {
            var source = (await sources.GetSourceAsync(new GetSourceRequest { Id = id }, deadline: Deadline)).Source;
            Assert.Equal(id, source.Id);
            Assert.NotEmpty(source.Title);
        }

        var listed = new List<string>();
        var page = new ListSourcesRequest { PageSize = 7 };
        do
        {
            var response = await sources.ListSourcesAsync(page, deadline: Deadline);
            Assert.True(response.Sources.Count == 7 || response.NextPageToken.Length == 0);
            listed.AddRange(response.Sources.Select(s => s.Id));
            page.PageToken = response.NextPageToken;
        }
        while (page.PageToken.Length > 0);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Contains("S06", listed);
        Assert.True(listed.Count >= 57, $"{listed.Count} sources listed");

        var missing = await Assert.ThrowsAsync<RpcException>(() => sources.GetSourceAsync(new GetSourceRequest { Id = "S999" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}
