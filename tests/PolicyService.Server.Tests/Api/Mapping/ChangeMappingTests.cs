using PolicyService.Server.Api;
using PolicyService.Server.Changes;
using PolicyService.Server.Domain;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

/// <summary>An import's changes read into the planner's requests: each kind of change, its paths, etags and sources.</summary>
public class ChangeMappingTests
{
    private static V1.TariffMeasure Measure => new()
    {
        Id = "M1", Importer = "US", Title = "measure", Kind = V1.TariffKind.Section301, Confidence = V1.Confidence.Confirmed,
        Periods = { new V1.TariffPeriod { RecordId = "P1", StartDate = Date(2025, 1, 1), Status = V1.PeriodStatus.InForce, Confidence = V1.Confidence.Confirmed } },
    };

    private static V1.ExportControl Control => new()
    {
        Id = "C1", Exporter = "CN", Title = "control", ControlType = V1.ExportControlType.Prohibited, Confidence = V1.Confidence.Confirmed,
    };

    private static V1.Truce Truce => new() { Id = "T1", Parties = { "US", "CN" }, Title = "truce", Confidence = V1.Confidence.Confirmed };

    private static V1.StatusChange Status => new()
    {
        MeasureId = " M1 ", Status = V1.PeriodStatus.Suspended, EffectiveDate = Date(2025, 11, 10), AdValoremPercent = "10", SuspendedPercent = "24",
        SuspendedUntil = Date(2026, 11, 10), TruceTermId = " TRU-S ", LegalInstrument = "EO 14358", RecordId = "P3", Note = "suspended",
        Sources = { new V1.Source { Id = "S01" } }, Confidence = V1.Confidence.Reported,
    };

    private static (IReadOnlyList<RequestedChange> Changes, DateOnly? ReviewedThrough, PolicyService.Server.Storage.CoverageChange? Coverage, ProtoReader Reader, RequestValidation Validation) Import(V1.ImportChangesRequest request)
    {
        var validation = new RequestValidation();
        var reader = new ProtoReader(validation);
        var (changes, reviewed, coverage) = reader.Read(request);
        return (changes, reviewed, coverage, reader, validation);
    }

    [Fact]
    public void Each_kind_of_change_becomes_its_request_at_its_path()
    {
        var request = new V1.ImportChangesRequest
        {
            Changes =
            {
                new V1.PolicyChange { CreateTariffMeasure = Measure },
                new V1.PolicyChange { UpdateTariffMeasure = Measure, Etag = "2" },
                new V1.PolicyChange { CreateExportControl = Control },
                new V1.PolicyChange { UpdateExportControl = Control, Etag = "3" },
                new V1.PolicyChange { CreateTruce = Truce },
                new V1.PolicyChange { UpdateTruce = Truce, Etag = "4" },
                new V1.PolicyChange { StatusChange = Status, Etag = " 5 " },
                new V1.PolicyChange { StatusChange = Status },
            },
            ReviewedThrough = Date(2025, 11, 30),
        };

        var (changes, reviewed, coverage, _, validation) = Import(request);

        validation.ThrowIfInvalid();
        Assert.Equal(new DateOnly(2025, 11, 30), reviewed);
        Assert.Null(coverage);
        Assert.Equal(
        [
            "CreateRecord M1 changes[0].create_tariff_measure",
            "UpdateRecord M1 2 changes[1].etag changes[1].update_tariff_measure",
            "CreateRecord C1 changes[2].create_export_control",
            "UpdateRecord C1 3 changes[3].etag changes[3].update_export_control",
            "CreateRecord T1 changes[4].create_truce",
            "UpdateRecord T1 4 changes[5].etag changes[5].update_truce",
            "RequestedStatusChange M1 5 changes[6].status_change",
            "RequestedStatusChange M1 - changes[7].status_change",
        ], changes.Select(c => c switch
        {
            CreateRecord x => $"CreateRecord {Id(x.Record)} {x.Path}",
            UpdateRecord x => $"UpdateRecord {Id(x.Record)} {x.Etag} {x.EtagPath} {x.Path}",
            RequestedStatusChange x => $"RequestedStatusChange {x.Change.MeasureId} {x.Etag ?? "-"} {x.Path}",
            _ => c.GetType().Name,
        }));
        Assert.IsType<D.TariffMeasure>(((CreateRecord)changes[0]).Record);
        Assert.IsType<D.ExportControl>(((UpdateRecord)changes[3]).Record);
        Assert.IsType<D.Truce>(((CreateRecord)changes[4]).Record);
    }

    private static string Id(IPolicyRecord record) => record switch
    {
        D.TariffMeasure m => m.Id,
        D.ExportControl c => c.Id,
        D.Truce t => t.Id,
        _ => "?",
    };

    [Fact]
    public void A_status_change_is_read_field_by_field()
    {
        var (changes, _, _, _, validation) = Import(new V1.ImportChangesRequest { Changes = { new V1.PolicyChange { StatusChange = Status } } });

        validation.ThrowIfInvalid();
        var change = Assert.IsType<RequestedStatusChange>(Assert.Single(changes));
        Assert.Equal(new D.StatusChange("M1", PeriodStatus.Suspended, new DateOnly(2025, 11, 10), 10m, 24m, new DateOnly(2026, 11, 10), "TRU-S",
            "EO 14358", "P3", "suspended", Confidence.Reported), change.Change);
        Assert.Equal(["S01"], change.SourceIds);
    }

    [Fact]
    public void A_status_change_with_no_truce_term_or_rates_reads_them_as_none()
    {
        var status = Status;
        status.TruceTermId = " ";
        status.AdValoremPercent = "";
        status.SuspendedPercent = "";
        status.SuspendedUntil = null;
        var (changes, _, _, _, validation) = Import(new V1.ImportChangesRequest { Changes = { new V1.PolicyChange { StatusChange = status } } });

        validation.ThrowIfInvalid();
        var change = Assert.IsType<RequestedStatusChange>(Assert.Single(changes)).Change;
        Assert.Equal(((string?)null, (decimal?)null, (decimal?)null, (DateOnly?)null), (change.TruceTermId, change.AdValoremPercent, change.SuspendedPercent, change.SuspendedUntil));
    }

    [Theory]
    [InlineData("status", "changes[0].status_change.status")]
    [InlineData("effective_date", "changes[0].status_change.effective_date")]
    [InlineData("bad effective_date", "changes[0].status_change.effective_date")]
    [InlineData("coverage", "coverage.tariffs[0].importer")]
    [InlineData("ad_valorem_percent", "changes[0].status_change.ad_valorem_percent")]
    [InlineData("suspended_percent", "changes[0].status_change.suspended_percent")]
    [InlineData("suspended_until", "changes[0].status_change.suspended_until")]
    [InlineData("confidence", "changes[0].status_change.confidence")]
    [InlineData("no sources", "changes[0].status_change.sources")]
    [InlineData("source id", "changes[0].status_change.sources[0].id")]
    [InlineData("nothing", "changes[0]")]
    [InlineData("import source", "sources[1]")]
    [InlineData("reviewed_through", "reviewed_through")]
    [InlineData("measure title", "changes[0].create_tariff_measure.title")]
    [InlineData("updated measure title", "changes[0].update_tariff_measure.title")]
    [InlineData("control title", "changes[0].create_export_control.title")]
    [InlineData("updated control title", "changes[0].update_export_control.title")]
    [InlineData("truce title", "changes[0].create_truce.title")]
    [InlineData("updated truce title", "changes[0].update_truce.title")]
    public void Each_unreadable_field_of_an_import_is_a_violation_at_its_path(string change, string field)
    {
        var status = Status;
        var request = new V1.ImportChangesRequest { Changes = { new V1.PolicyChange { StatusChange = status } } };
        request.Sources.Add(new V1.Source { Id = "S01", Title = "a title" });
        request.Sources.Add(new V1.Source { Id = "S02", Title = "another" });
        var measure = Measure;
        measure.Title = "";
        var control = Control;
        control.Title = "";
        var truce = Truce;
        truce.Title = "";
        switch (change)
        {
            case "status": status.Status = V1.PeriodStatus.Unspecified; break;
            case "effective_date": status.EffectiveDate = null; break;
            case "bad effective_date": status.EffectiveDate = Date(2025, 11, 31); break;
            case "coverage": request.Coverage = new V1.DataCoverage { Tariffs = { new V1.TariffCoverage { Importer = "XX", Kinds = { V1.TariffKind.Mfn } } } }; break;
            case "ad_valorem_percent": status.AdValoremPercent = "x"; break;
            case "suspended_percent": status.SuspendedPercent = "y"; break;
            case "suspended_until": status.SuspendedUntil = Date(2026, 2, 30); break;
            case "confidence": status.Confidence = V1.Confidence.Unspecified; break;
            case "no sources": status.Sources.Clear(); break;
            case "source id": status.Sources[0].Id = ""; break;
            case "nothing": request.Changes[0] = new V1.PolicyChange(); break;
            case "import source": request.Sources[1].Title = " "; break;
            case "reviewed_through": request.ReviewedThrough = Date(2025, 6, 31); break;
            case "measure title": request.Changes[0] = new V1.PolicyChange { CreateTariffMeasure = measure }; break;
            case "updated measure title": request.Changes[0] = new V1.PolicyChange { UpdateTariffMeasure = measure }; break;
            case "control title": request.Changes[0] = new V1.PolicyChange { CreateExportControl = control }; break;
            case "updated control title": request.Changes[0] = new V1.PolicyChange { UpdateExportControl = control }; break;
            case "truce title": request.Changes[0] = new V1.PolicyChange { CreateTruce = truce }; break;
            case "updated truce title": request.Changes[0] = new V1.PolicyChange { UpdateTruce = truce }; break;
        }

        var (_, _, _, _, validation) = Import(request);

        // (An impossible effective date is reported twice on its field: not a calendar date, and so missing.)
        Assert.Equal([field], Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations.Select(v => v.Field).Distinct());
    }

    [Fact]
    public void The_sources_of_an_import_are_recorded_as_sent_and_a_coverage_model_comes_with_its_etag()
    {
        var request = new V1.ImportChangesRequest
        {
            Sources = { new V1.Source { Id = " S07 ", Title = "Notice", Urls = { "https://example.org/n" } } },
            Coverage = new V1.DataCoverage { Truces = { new V1.TruceCoverage { PartyA = "US", PartyB = "CN" } } },
            CoverageEtag = " 4 ",
        };

        var (changes, reviewed, coverage, reader, validation) = Import(request);

        validation.ThrowIfInvalid();
        Assert.Empty(changes);
        Assert.Null(reviewed);
        Assert.Equal([new D.Source("S07", "Notice", ["https://example.org/n"])], reader.NewSources, SourceComparer.Instance);
        Assert.Equal("4", coverage!.ExpectedEtag);
        Assert.Equal(new D.TruceCoverage("US", "CN", null, ""), Assert.Single(coverage.Model.Truces));

        request.CoverageEtag = "  ";
        Assert.Null(Import(request).Coverage!.ExpectedEtag);
    }

    [Fact]
    public void A_source_without_an_id_is_a_violation_and_not_cited()
    {
        var status = Status;
        status.Sources.Insert(0, new V1.Source { Id = " ", Title = "untitled" });
        var (changes, _, _, reader, validation) = Import(new V1.ImportChangesRequest { Changes = { new V1.PolicyChange { StatusChange = status } } });

        Assert.Equal([("changes[0].status_change.sources[0].id", "is required")],
            Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations.Select(v => (v.Field, v.Description)));
        Assert.Equal(["S01"], Assert.IsType<RequestedStatusChange>(Assert.Single(changes)).SourceIds);
        Assert.Empty(reader.NewSources);
    }

    [Fact]
    public void The_violations_of_an_import_say_what_is_wrong()
    {
        var status = Status;
        status.Sources.Clear();
        var request = new V1.ImportChangesRequest { Changes = { new V1.PolicyChange(), new V1.PolicyChange { StatusChange = status } }, Sources = { new V1.Source { Id = "S1" } } };

        var (_, _, _, _, validation) = Import(request);

        Assert.Equal(
        [
            ("sources[0]", "needs an id and a title"),
            ("changes[0]", "names no change"),
            ("changes[1].status_change.sources", "at least one source is required"),
        ], Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations.Select(v => (v.Field, v.Description)));
    }
}
