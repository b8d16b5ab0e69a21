using PolicyService.Server.Api;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

public class TruceMappingTests
{
    private static readonly D.TruceTerm Suspension = new("TRU-S", ["US"], TruceTermType.SuspendMeasure, "reciprocal tariff", "24 points suspended",
        "EO 14298", new DateOnly(2025, 5, 12), new DateOnly(2025, 5, 14), "in force", ["RECIPROCAL"],
        [new PurchaseCommitment("soybeans", "1201", 12.5m, "million tonnes", new DateOnly(2025, 11, 10), new DateOnly(2026, 1, 1))],
        ["S01"], Confidence.Confirmed);

    // A window officials reported with no instrument: a term with no effective date.
    private static readonly D.TruceTerm Reported = new("TRU-X", ["US", "CN"], TruceTermType.Framework, "", "a further year", "",
        new DateOnly(2026, 10, 1), null, "reported only", [], [], ["S99"], Confidence.Reported);

    private static readonly D.Truce Truce = new("TRUCE-2025", ["US", "CN"], "Geneva truce", new DateOnly(2025, 5, 12), new DateOnly(2025, 5, 14),
        Confidence.Confirmed, "renewed once", ["S01"],
        [new TruceExtension("EXT-1", new DateOnly(2025, 5, 14), new DateOnly(2025, 8, 12), "EO 14298", "first window"),
         new TruceExtension("EXT-2", new DateOnly(2025, 8, 12), new DateOnly(2026, 11, 10), "EO 14334", ""),
         new TruceExtension("TRU-X", new DateOnly(2026, 11, 10), new DateOnly(2027, 11, 10), "", "reported")],
        [Suspension, Reported],
        [new PolicyEvent("EV-1", new DateOnly(2025, 5, 12), ["US", "CN"], "talks", "joint statement", ["S01"], Confidence.Confirmed)],
        DomainRecorded);

    private static V1.TruceTerm SuspensionProto => new()
    {
        Id = "TRU-S", TruceId = "TRUCE-2025", CommittingParties = { "US" }, TermType = V1.TruceTermType.SuspendMeasure, Scope = "reciprocal tariff",
        Description = "24 points suspended", LegalInstrument = "EO 14298", AnnouncedDate = Date(2025, 5, 12), EffectiveDate = Date(2025, 5, 14),
        StatusNote = "in force", MeasureIds = { "RECIPROCAL" },
        Purchases =
        {
            new V1.PurchaseCommitment
            {
                Commodity = "soybeans", HsPrefix = "1201", Quantity = "12.5", Unit = "million tonnes", StartDate = Date(2025, 11, 10),
                EndDate = Date(2026, 1, 1),
            },
        },
        Sources = { KnownSource }, Confidence = V1.Confidence.Confirmed,
    };

    private static V1.TruceTerm ReportedProto => new()
    {
        Id = "TRU-X", TruceId = "TRUCE-2025", CommittingParties = { "US", "CN" }, TermType = V1.TruceTermType.Framework,
        Description = "a further year", AnnouncedDate = Date(2026, 10, 1), StatusNote = "reported only", Sources = { new V1.Source { Id = "S99" } },
        Confidence = V1.Confidence.Reported,
    };

    private static V1.Truce TruceProto => new()
    {
        Id = "TRUCE-2025", Parties = { "US", "CN" }, Title = "Geneva truce", ConcludedDate = Date(2025, 5, 12), EffectiveDate = Date(2025, 5, 14),
        ExpiryDate = Date(2026, 11, 10), // the latest window in force, not the reported one
        Extensions =
        {
            new V1.TruceExtension { RecordId = "EXT-1", StartDate = Date(2025, 5, 14), ExpiryDate = Date(2025, 8, 12), LegalInstrument = "EO 14298", Note = "first window" },
            new V1.TruceExtension { RecordId = "EXT-2", StartDate = Date(2025, 8, 12), ExpiryDate = Date(2026, 11, 10), LegalInstrument = "EO 14334" },
            new V1.TruceExtension { RecordId = "TRU-X", StartDate = Date(2026, 11, 10), ExpiryDate = Date(2027, 11, 10), Note = "reported" },
        },
        Terms = { SuspensionProto, ReportedProto },
        Events =
        {
            new V1.PolicyEvent
            {
                Id = "EV-1", Date = Date(2025, 5, 12), Actors = { "US", "CN" }, Subject = "talks", Description = "joint statement",
                Sources = { KnownSource }, Confidence = V1.Confidence.Confirmed,
            },
        },
        Sources = { KnownSource }, Confidence = V1.Confidence.Confirmed, Notes = "renewed once", Etag = "3", Recorded = Recorded,
    };

    [Fact]
    public void A_truce_maps_field_by_field()
    {
        Assert.Equal(TruceProto, Truce.ToProto(Reference));
        var unrecorded = (Truce with { Recorded = null, Extensions = [] }).ToProto(Reference);
        Assert.Equal(("", (V1.RecordInfo?)null, (Google.Type.Date?)null), (unrecorded.Etag, unrecorded.Recorded, unrecorded.ExpiryDate));
    }

    [Fact]
    public void A_truce_status_maps_its_window_the_measures_that_resume_and_the_reported_windows()
    {
        var status = new TruceStatus(Truce, Truce.Extensions[1], 344,
            [new ResumingMeasure("tariff", "RECIPROCAL", "Reciprocal tariff", "TRU-S", new DateOnly(2026, 11, 10), "24 points resume")],
            [new ReportedExtension(Truce.Extensions[2], Reported)]);

        Assert.Equal(new V1.TruceStatus
        {
            Truce = TruceProto, ExpiryDate = Date(2026, 11, 10), DaysRemaining = 344,
            ResumingMeasures =
            {
                new V1.ResumingMeasure
                {
                    MeasureType = "tariff", MeasureId = "RECIPROCAL", Title = "Reciprocal tariff", TruceTermId = "TRU-S",
                    ResumesOn = Date(2026, 11, 10), Description = "24 points resume",
                },
            },
            ReportedExtensions =
            {
                new V1.ReportedExtension
                {
                    Extension = new V1.TruceExtension { RecordId = "TRU-X", StartDate = Date(2026, 11, 10), ExpiryDate = Date(2027, 11, 10), Note = "reported" },
                    TruceTermId = "TRU-X", AnnouncedDate = Date(2026, 10, 1), Confidence = V1.Confidence.Reported, StatusNote = "reported only",
                    Sources = { new V1.Source { Id = "S99" } },
                },
            },
        }, status.ToProto(Reference));
        Assert.Empty((status with { Reported = null }).ToProto(Reference).ReportedExtensions);
    }

    [Fact]
    public void A_truce_read_from_its_proto_maps_back_to_the_same_proto()
    {
        var validation = new RequestValidation();
        var sent = TruceProto;
        sent.Id = " TRUCE-2025";
        sent.Parties[0] = "us";
        sent.Title = "Geneva truce ";
        sent.Terms[0].Id = "TRU-S ";
        sent.Terms[1].CommittingParties[1] = " cn ";

        var truce = new ProtoReader(validation).Read(sent, "truce") with { Recorded = DomainRecorded };

        validation.ThrowIfInvalid();
        Assert.Equal(TruceProto, truce.ToProto(Reference));
    }

    [Theory]
    [InlineData("title", "truce.title")]
    [InlineData("confidence", "truce.confidence")]
    [InlineData("concluded_date", "truce.concluded_date")]
    [InlineData("effective_date", "truce.effective_date")]
    [InlineData("source", "truce.sources[0].id")]
    [InlineData("extension start_date", "truce.extensions[1].start_date")]
    [InlineData("extension expiry_date", "truce.extensions[1].expiry_date")]
    [InlineData("term_type", "truce.terms[1].term_type")]
    [InlineData("announced_date", "truce.terms[1].announced_date")]
    [InlineData("term effective_date", "truce.terms[0].effective_date")]
    [InlineData("term source", "truce.terms[1].sources[0].id")]
    [InlineData("term confidence", "truce.terms[1].confidence")]
    [InlineData("quantity", "truce.terms[0].purchases[0].quantity")]
    [InlineData("purchase start_date", "truce.terms[0].purchases[0].start_date")]
    [InlineData("purchase end_date", "truce.terms[0].purchases[0].end_date")]
    [InlineData("event date", "truce.events[0].date")]
    [InlineData("event source", "truce.events[0].sources[0].id")]
    [InlineData("event confidence", "truce.events[0].confidence")]
    public void Each_unreadable_field_is_a_violation_at_its_path(string change, string field)
    {
        var sent = TruceProto;
        var bad = Date(2025, 2, 29);
        switch (change)
        {
            case "title": sent.Title = " "; break;
            case "confidence": sent.Confidence = V1.Confidence.Unspecified; break;
            case "concluded_date": sent.ConcludedDate = bad; break;
            case "effective_date": sent.EffectiveDate = bad; break;
            case "source": sent.Sources[0].Id = ""; break;
            case "extension start_date": sent.Extensions[1].StartDate = bad; break;
            case "extension expiry_date": sent.Extensions[1].ExpiryDate = bad; break;
            case "term_type": sent.Terms[1].TermType = V1.TruceTermType.Unspecified; break;
            case "announced_date": sent.Terms[1].AnnouncedDate = bad; break;
            case "term effective_date": sent.Terms[0].EffectiveDate = bad; break;
            case "term source": sent.Terms[1].Sources[0].Id = " "; break;
            case "term confidence": sent.Terms[1].Confidence = (V1.Confidence)12; break;
            case "quantity": sent.Terms[0].Purchases[0].Quantity = "a lot"; break;
            case "purchase start_date": sent.Terms[0].Purchases[0].StartDate = bad; break;
            case "purchase end_date": sent.Terms[0].Purchases[0].EndDate = bad; break;
            case "event date": sent.Events[0].Date = bad; break;
            case "event source": sent.Events[0].Sources[0].Id = ""; break;
            case "event confidence": sent.Events[0].Confidence = V1.Confidence.Unspecified; break;
        }
        var validation = new RequestValidation();

        new ProtoReader(validation).Read(sent, "truce");

        Assert.Equal(field, Assert.Single(Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations).Field);
    }

    [Fact]
    public void Missing_dates_and_an_unreadable_quantity_read_as_defaults()
    {
        var sent = TruceProto;
        sent.ConcludedDate = null;
        sent.Extensions[0].StartDate = null;
        sent.Events[0].Date = null;
        sent.Terms[0].Purchases[0].Quantity = "";
        sent.Terms[0].Purchases[0].EndDate = null;

        var truce = new ProtoReader(new RequestValidation()).Read(sent, "truce");

        Assert.Equal((default(DateOnly), default(DateOnly), default(DateOnly), 0m, default(DateOnly)),
            (truce.ConcludedDate, truce.Extensions[0].StartDate, truce.Events[0].Date, truce.Terms[0].Purchases[0].Quantity, truce.Terms[0].Purchases[0].EndDate));
    }
}
