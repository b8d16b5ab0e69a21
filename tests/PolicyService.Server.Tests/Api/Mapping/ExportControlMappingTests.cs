using Google.Protobuf.WellKnownTypes;
using PolicyService.Server.Api;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

public class ExportControlMappingTests
{
    private static readonly D.ControlPeriod Suspended = new("B2", new DateOnly(2025, 11, 9), new DateOnly(2026, 11, 27), PeriodStatus.Suspended,
        "MOFCOM 2025/70", new DateOnly(2026, 11, 27), "TRU-S", "suspended by the truce", Confidence.Reported);

    private static readonly D.ControlPeriod Plain = new("B1", new DateOnly(2024, 12, 3), null, PeriodStatus.InForce, "", null, null, "", Confidence.Confirmed);

    private static readonly D.ExportControl Control = new("GALLIUM", "CN", ["US", "JP"], false, "Gallium export ban", ExportControlType.Prohibited,
        new ProductScope(false, ["811292"], [], "gallium", ""), [new ControlledItem("gallium", "0C001", ["8112923000"])],
        ["no licences to the US"], "MOFCOM 2024/46", Confidence.Confirmed, "ban then suspension", ["S01"], [Plain, Suspended], DomainRecorded);

    private static V1.ControlPeriod SuspendedProto => new()
    {
        RecordId = "B2", StartDate = Date(2025, 11, 9), EndDate = Date(2026, 11, 27), Status = V1.PeriodStatus.Suspended,
        LegalInstrument = "MOFCOM 2025/70", SuspendedUntil = Date(2026, 11, 27), TruceTermId = "TRU-S", Note = "suspended by the truce",
        Confidence = V1.Confidence.Reported,
    };

    private static V1.ControlPeriod PlainProto => new()
    {
        RecordId = "B1", StartDate = Date(2024, 12, 3), Status = V1.PeriodStatus.InForce, Confidence = V1.Confidence.Confirmed,
    };

    private static V1.ExportControl ControlProto => new()
    {
        Id = "GALLIUM", Exporter = "CN", Destinations = { "US", "JP" }, AllDestinations = false, Title = "Gallium export ban",
        ControlType = V1.ExportControlType.Prohibited,
        ProductScope = new V1.ProductScope { HsPrefixes = { "811292" }, Description = "gallium" },
        Items = { new V1.ControlledItem { Name = "gallium", ControlCode = "0C001", HsCodes = { "8112923000" } } },
        Rules = { "no licences to the US" }, LegalInstrument = "MOFCOM 2024/46", Periods = { PlainProto, SuspendedProto },
        Sources = { KnownSource }, Confidence = V1.Confidence.Confirmed, Notes = "ban then suspension", Etag = "3", Recorded = Recorded,
    };

    [Fact]
    public void A_control_maps_field_by_field()
    {
        Assert.Equal(ControlProto, Control.ToProto(Reference));
        var unrecorded = (Control with { Recorded = null }).ToProto(Reference);
        Assert.Equal(("", (V1.RecordInfo?)null), (unrecorded.Etag, unrecorded.Recorded));
    }

    [Fact]
    public void An_export_answer_maps_its_matches_with_the_instrument_and_confidence_of_each()
    {
        var unconfirmed = Control with { Confidence = Confidence.Unconfirmed };
        var answer = new ExportAnswer("CN", "US", new ExportItem("8112923000", null), new DateOnly(2025, 12, 1), true, false,
            [new ControlMatch(Control, Suspended, "hs:811292")], [new ControlMatch(unconfirmed, Plain, "item:gallium")], []);
        var coverage = new Coverage(new DateOnly(2025, 11, 1), false, true, [], false, "");

        var proto = answer.ToProto(Reference, coverage, RecordedTime);

        Assert.Equal(new V1.CheckExportResponse
        {
            Exporter = "CN", Destination = "US", Item = "8112923000", AsOf = Date(2025, 12, 1), LicenseRequired = true, Prohibited = false,
            ControlsInForce =
            {
                new V1.ControlMatch
                {
                    ControlId = "GALLIUM", Title = "Gallium export ban", ControlType = V1.ExportControlType.Prohibited,
                    LegalInstrument = "MOFCOM 2025/70", Period = SuspendedProto, Sources = { KnownSource }, Confidence = V1.Confidence.Reported,
                    MatchedBy = "hs:811292", Rules = { "no licences to the US" },
                },
            },
            ControlsSuspended =
            {
                new V1.ControlMatch
                {
                    ControlId = "GALLIUM", Title = "Gallium export ban", ControlType = V1.ExportControlType.Prohibited,
                    LegalInstrument = "MOFCOM 2024/46", Period = PlainProto, Sources = { KnownSource }, Confidence = V1.Confidence.Unconfirmed,
                    MatchedBy = "item:gallium", Rules = { "no licences to the US" },
                },
            },
            Coverage = new V1.Coverage { ReviewedThrough = Date(2025, 11, 1), Covered = true },
            KnownAt = Timestamp.FromDateTime(RecordedTime),
        }, proto);
    }

    [Fact]
    public void A_control_read_from_its_proto_maps_back_to_the_same_proto()
    {
        var validation = new RequestValidation();
        var sent = ControlProto;
        sent.Id = "GALLIUM ";
        sent.Exporter = "cn";
        sent.Destinations[1] = " jp ";
        sent.Title = " Gallium export ban";
        sent.Items[0].Name = " Gallium ";
        sent.Periods[1].TruceTermId = " TRU-S ";

        var control = new ProtoReader(validation).Read(sent, "control") with { Recorded = DomainRecorded };

        validation.ThrowIfInvalid();
        Assert.Equal(ControlProto, control.ToProto(Reference));
        Assert.Null(new ProtoReader(new RequestValidation()).Read(ControlProto, "control").Periods[0].TruceTermId);

        var unscoped = ControlProto;
        unscoped.ProductScope = null;
        var scope = new ProtoReader(new RequestValidation()).Read(unscoped, "control").Scope;
        Assert.Equal((false, 0, 0, ""), (scope.AllProducts, scope.HsPrefixes.Count, scope.ExcludedHsPrefixes.Count, scope.Description));
    }

    [Theory]
    [InlineData("title", "control.title")]
    [InlineData("control_type", "control.control_type")]
    [InlineData("confidence", "control.confidence")]
    [InlineData("source", "control.sources[0].id")]
    [InlineData("start_date", "control.periods[1].start_date")]
    [InlineData("bad start_date", "control.periods[1].start_date")]
    [InlineData("end_date", "control.periods[1].end_date")]
    [InlineData("status", "control.periods[1].status")]
    [InlineData("suspended_until", "control.periods[1].suspended_until")]
    [InlineData("period confidence", "control.periods[1].confidence")]
    public void Each_unreadable_field_is_a_violation_at_its_path(string change, string field)
    {
        var sent = ControlProto;
        var period = sent.Periods[1];
        switch (change)
        {
            case "title": sent.Title = ""; break;
            case "control_type": sent.ControlType = V1.ExportControlType.Unspecified; break;
            case "confidence": sent.Confidence = V1.Confidence.Unspecified; break;
            case "source": sent.Sources[0].Id = ""; break;
            case "start_date": period.StartDate = null; break;
            case "bad start_date": period.StartDate = Date(2025, 4, 31); break;
            case "end_date": period.EndDate = Date(2025, 4, 31); break;
            case "status": period.Status = (V1.PeriodStatus)9; break;
            case "suspended_until": period.SuspendedUntil = Date(2026, 0, 1); break;
            case "period confidence": period.Confidence = V1.Confidence.Unspecified; break;
        }
        var validation = new RequestValidation();

        new ProtoReader(validation).Read(sent, "control");

        // (An impossible start date is reported twice on its field: not a calendar date, and so missing.)
        Assert.Equal([field], Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations.Select(v => v.Field).Distinct());
    }
}
