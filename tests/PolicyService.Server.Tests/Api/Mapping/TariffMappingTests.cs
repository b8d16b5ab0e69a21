using Google.Protobuf.WellKnownTypes;
using PolicyService.Server.Api;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

public class TariffMappingTests
{
    private static readonly D.TariffPeriod Suspended = new("P2", new DateOnly(2025, 5, 14), new DateOnly(2026, 11, 10), PeriodStatus.InForce,
        10m, "10% ad valorem", "EO 14298", 24m, new DateOnly(2026, 11, 10), "TRU-S", "24 points suspended", Confidence.Reported);

    private static readonly D.TariffPeriod Plain = new("P1", new DateOnly(2025, 4, 10), null, PeriodStatus.Announced,
        null, "", "", null, null, null, "", Confidence.Confirmed);

    private static readonly D.TariffMeasure Measure = new("RECIPROCAL", "US", ["CN", "HK"], false, "Reciprocal tariff", TariffKind.IeepaReciprocal,
        new ProductScope(false, ["85", "8507"], ["850760"], "batteries", "chapter 85 less cells"), "EO 14257", Confidence.Confirmed,
        "see the truce", ["S01", "S99"], [Plain, Suspended], [new StackingExclusion("S232", "232 goods pay 232 only")], DomainRecorded);

    private static V1.TariffPeriod SuspendedProto => new()
    {
        RecordId = "P2", StartDate = Date(2025, 5, 14), EndDate = Date(2026, 11, 10), Status = V1.PeriodStatus.InForce,
        AdValoremPercent = "10", RateDescription = "10% ad valorem", LegalInstrument = "EO 14298", SuspendedPercent = "24",
        SuspendedUntil = Date(2026, 11, 10), TruceTermId = "TRU-S", Note = "24 points suspended", Confidence = V1.Confidence.Reported,
        RateBasis = V1.RateBasis.FullValue,
    };

    private static V1.TariffPeriod PlainProto => new()
    {
        RecordId = "P1", StartDate = Date(2025, 4, 10), Status = V1.PeriodStatus.Announced, Confidence = V1.Confidence.Confirmed,
        RateBasis = V1.RateBasis.FullValue,
    };

    private static V1.TariffMeasure MeasureProto => new()
    {
        Id = "RECIPROCAL", Importer = "US", Origins = { "CN", "HK" }, AllOrigins = false, Title = "Reciprocal tariff",
        Kind = V1.TariffKind.IeepaReciprocal,
        ProductScope = new V1.ProductScope
        {
            AllProducts = false, HsPrefixes = { "85", "8507" }, ExcludedHsPrefixes = { "850760" }, Description = "batteries",
            MappingNote = "chapter 85 less cells",
        },
        LegalInstrument = "EO 14257", Periods = { PlainProto, SuspendedProto }, Sources = { KnownSource, new V1.Source { Id = "S99" } },
        Confidence = V1.Confidence.Confirmed, Notes = "see the truce", Etag = "3", Recorded = Recorded,
        ExcludedBy = { new V1.StackingRule { MeasureId = "S232", Reason = "232 goods pay 232 only", Effect = V1.StackingEffect.Exclude } },
    };

    [Fact]
    public void A_measure_maps_field_by_field_with_its_sources_from_the_catalog()
    {
        Assert.Equal(MeasureProto, Measure.ToProto(Reference));
    }

    [Fact]
    public void A_measure_never_recorded_has_no_etag_and_no_record_info()
    {
        var proto = (Measure with { Recorded = null }).ToProto(Reference);
        Assert.Equal("", proto.Etag);
        Assert.Null(proto.Recorded);
    }

    [Fact]
    public void A_duty_answer_maps_its_layers_effects_exclusions_and_exemptions()
    {
        var layer = new DutyLayer(Measure, Suspended, "8507");
        // A layer whose period names no instrument takes the measure's; the confidence is the weaker of the two.
        var plainLayer = new DutyLayer(Measure with { Confidence = Confidence.Unconfirmed }, Plain with { Confidence = Confidence.Reported }, "85");
        var answer = new DutyAnswer("US", "CN", "8507600020", new DateOnly(2025, 12, 1), [layer], 10m, [plainLayer],
            [new TruceEffect("TRU-S", "RECIPROCAL", "24 points suspended", 24m, new DateOnly(2026, 11, 10)),
             new TruceEffect("TRU-X", "OTHER", "unknown term", null, null)],
            [new ExcludedLayer(layer, "S232", "232 goods pay 232 only")], [], [new ExemptedLayer(plainLayer, "850760", "cells are left out")]);
        var coverage = new Coverage(new DateOnly(2025, 11, 1), true, false, ["US tariffs on goods from CN"], true, "beyond the review");

        var proto = answer.ToProto(Reference, coverage, RecordedTime);

        var layerProto = new V1.DutyLayer
        {
            MeasureId = "RECIPROCAL", Kind = V1.TariffKind.IeepaReciprocal, Title = "Reciprocal tariff", AdValoremPercent = "10",
            LegalInstrument = "EO 14298", Period = SuspendedProto, Sources = { KnownSource, new V1.Source { Id = "S99" } },
            Confidence = V1.Confidence.Reported, MatchedHsPrefix = "8507", RateBasis = V1.RateBasis.FullValue, InTotal = true,
        };
        var plainProto = new V1.DutyLayer
        {
            MeasureId = "RECIPROCAL", Kind = V1.TariffKind.IeepaReciprocal, Title = "Reciprocal tariff", AdValoremPercent = "",
            LegalInstrument = "EO 14257", Period = PlainProto.Clone(), Sources = { KnownSource, new V1.Source { Id = "S99" } },
            Confidence = V1.Confidence.Unconfirmed, MatchedHsPrefix = "85", RateBasis = V1.RateBasis.FullValue,
        };
        plainProto.Period.Confidence = V1.Confidence.Reported;
        Assert.Equal(new V1.LookupDutyResponse
        {
            Importer = "US", Origin = "CN", HsCode = "8507600020", AsOf = Date(2025, 12, 1), Layers = { layerProto },
            TotalAdValoremPercent = "10", AnnouncedMeasures = { plainProto },
            TruceEffects =
            {
                new V1.TruceEffect
                {
                    TruceTermId = "TRU-S", TruceId = "TRUCE-2025", MeasureId = "RECIPROCAL", Description = "24 points suspended",
                    SuspendedPercent = "24", Until = Date(2026, 11, 10),
                },
                new V1.TruceEffect { TruceTermId = "TRU-X", TruceId = "", MeasureId = "OTHER", Description = "unknown term" },
            },
            ExcludedLayers = { new V1.ExcludedLayer { Layer = NotCounted(layerProto), ExcludedByMeasureId = "S232", Reason = "232 goods pay 232 only" } },
            ExemptedLayers = { new V1.ExemptedLayer { Layer = plainProto, ExcludedHsPrefix = "850760", Reason = "cells are left out" } },
            Coverage = new V1.Coverage
            {
                ReviewedThrough = Date(2025, 11, 1), BeyondReviewedHorizon = true, Covered = false, Uncovered = { "US tariffs on goods from CN" },
                MfnIncluded = true, Notice = "beyond the review",
            },
            KnownAt = Timestamp.FromDateTime(RecordedTime),
        }, proto);
    }

    [Fact]
    public void A_measure_read_from_its_proto_maps_back_to_the_same_proto()
    {
        var validation = new RequestValidation();
        var reader = new ProtoReader(validation);
        var sent = MeasureProto;
        sent.Id = " RECIPROCAL ";
        sent.Importer = "us";
        sent.Origins[0] = " cn";
        sent.Title = " Reciprocal tariff ";
        sent.Periods[1].TruceTermId = " TRU-S ";
        sent.Periods[1].AdValoremPercent = " 10 ";

        var measure = reader.Read(sent, "measure") with { Recorded = DomainRecorded };

        validation.ThrowIfInvalid();
        Assert.Equal(MeasureProto, measure.ToProto(Reference));
        Assert.Equal([new D.Source("S01", "Federal Register 2025-01", ["https://example.org/fr"])], reader.NewSources, SourceComparer.Instance);
    }

    [Fact]
    public void An_empty_truce_term_and_empty_rates_read_as_none()
    {
        var measure = new ProtoReader(new RequestValidation()).Read(MeasureProto, "measure");
        Assert.Equal((null, null, null, (DateOnly?)null), (measure.Periods[0].TruceTermId, measure.Periods[0].AdValoremPercent, measure.Periods[0].SuspendedPercent, measure.Periods[0].EndDate));
        Assert.Equal("TRU-S", measure.Periods[1].TruceTermId);
    }

    public static TheoryData<string, string> BadFields() => new()
    {
        { "title", "measure.title" },
        { "kind", "measure.kind" },
        { "confidence", "measure.confidence" },
        { "source", "measure.sources[1].id" },
        { "start_date", "measure.periods[1].start_date" },
        { "bad start_date", "measure.periods[1].start_date" },
        { "end_date", "measure.periods[1].end_date" },
        { "status", "measure.periods[1].status" },
        { "ad_valorem_percent", "measure.periods[1].ad_valorem_percent" },
        { "suspended_percent", "measure.periods[1].suspended_percent" },
        { "suspended_until", "measure.periods[1].suspended_until" },
        { "period confidence", "measure.periods[1].confidence" },
        { "rate_basis", "measure.periods[1].rate_basis" },
        { "stacking effect", "measure.excluded_by[0].effect" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Each_unreadable_field_is_a_violation_at_its_path(string change, string field)
    {
        var sent = MeasureProto;
        var period = sent.Periods[1];
        switch (change)
        {
            case "title": sent.Title = "  "; break;
            case "kind": sent.Kind = V1.TariffKind.Unspecified; break;
            case "confidence": sent.Confidence = (V1.Confidence)77; break;
            case "source": sent.Sources[1].Id = " "; break;
            case "start_date": period.StartDate = null; break;
            case "bad start_date": period.StartDate = Date(2025, 2, 30); break;
            case "end_date": period.EndDate = Date(2025, 13, 1); break;
            case "status": period.Status = V1.PeriodStatus.Unspecified; break;
            case "ad_valorem_percent": period.AdValoremPercent = "ten"; break;
            case "suspended_percent": period.SuspendedPercent = "-1"; break;
            case "suspended_until": period.SuspendedUntil = Date(0, 1, 1); break;
            case "period confidence": period.Confidence = V1.Confidence.Unspecified; break;
            case "rate_basis": period.RateBasis = (V1.RateBasis)9; break;
            case "stacking effect": sent.ExcludedBy[0].Effect = (V1.StackingEffect)9; break;
        }
        var validation = new RequestValidation();

        new ProtoReader(validation).Read(sent, "measure");

        // (An impossible start date is reported twice on its field: not a calendar date, and so missing.)
        var error = Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid);
        Assert.Equal([field], error.Violations.Select(v => v.Field).Distinct());
    }

    [Fact]
    public void The_violations_say_what_is_wrong()
    {
        var sent = MeasureProto;
        sent.Title = "";
        sent.Kind = V1.TariffKind.Unspecified;
        sent.Periods[1].AdValoremPercent = "7,5";
        sent.Periods[1].StartDate = null;
        var validation = new RequestValidation();

        new ProtoReader(validation).Read(sent, "m");

        Assert.Equal(
        [
            ("m.title", "is required"),
            ("m.kind", "is required (a value other than UNSPECIFIED)"),
            ("m.periods[1].start_date", "is required"),
            ("m.periods[1].ad_valorem_percent", "\"7,5\" is not a decimal number such as \"7.5\""),
        ], Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations.Select(v => (v.Field, v.Description)));
    }

    [Fact]
    public void A_basis_conditions_and_stacking_effect_map_both_ways_and_unspecified_reads_as_full_value_and_exclude()
    {
        var content = Measure with
        {
            Periods = [Plain, Suspended with { RateBasis = RateBasis.MetalContent, Conditions = ["steel at least 15% of the weight"] }],
            ExcludedBy = [new StackingExclusion("S232", "non-232 part only", StackingEffect.NonMetalPartOnly)],
        };
        var proto = content.ToProto(Reference);
        Assert.Equal((V1.RateBasis.MetalContent, "steel at least 15% of the weight"), (proto.Periods[1].RateBasis, Assert.Single(proto.Periods[1].Conditions)));
        Assert.Equal(V1.StackingEffect.NonMetalPartOnly, proto.ExcludedBy[0].Effect);

        var validation = new RequestValidation();
        var back = new ProtoReader(validation).Read(proto, "m").ToProto(Reference);
        Assert.Equal(proto.Periods, back.Periods);
        Assert.Equal(proto.ExcludedBy, back.ExcludedBy);

        proto.Periods[1].RateBasis = V1.RateBasis.Unspecified;
        proto.ExcludedBy[0].Effect = V1.StackingEffect.Unspecified;
        var old = new ProtoReader(validation).Read(proto, "m");
        validation.ThrowIfInvalid();
        Assert.Equal((RateBasis.FullValue, StackingEffect.Exclude), (old.Periods[1].RateBasis, old.ExcludedBy[0].Effect));
    }

    /// <summary>The same layer outside the stacked layers: an excluded layer is never in the total.</summary>
    private static V1.DutyLayer NotCounted(V1.DutyLayer layer)
    {
        var copy = layer.Clone();
        copy.InTotal = false;
        return copy;
    }
}

internal sealed class SourceComparer : IEqualityComparer<D.Source>
{
    public static readonly SourceComparer Instance = new();

    public bool Equals(D.Source? x, D.Source? y) =>
        x is not null && y is not null && x.Id == y.Id && x.Title == y.Title && x.Urls.SequenceEqual(y.Urls);

    public int GetHashCode(D.Source obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
}
