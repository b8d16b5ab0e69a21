using PolicyService.Server.Api;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

public class CoverageMappingTests
{
    private static readonly D.CoverageModel Model = new(
        [
            new TariffCoverage("US", ["CN", "HK"], true, [TariffKind.Section301, TariffKind.Mfn], null, "301 and MFN"),
            new TariffCoverage("CN", ["US"], false, [TariffKind.Retaliatory], new DateOnly(2026, 6, 30), ""),
        ],
        [new ExportCoverage("CN", ["US", "JP"], true, new DateOnly(2026, 5, 1), "dual use"), new ExportCoverage("US", ["CN"], false, null, "")],
        [new TruceCoverage("US", "CN", null, "Geneva"), new TruceCoverage("CN", "JP", new DateOnly(2026, 4, 1), "")],
        DomainRecorded);

    private static V1.DataCoverage ModelProto => new()
    {
        Tariffs =
        {
            new V1.TariffCoverage
            {
                Importer = "US", Origins = { "CN", "HK" }, AllOriginMeasures = true, Kinds = { V1.TariffKind.Section301, V1.TariffKind.Mfn },
                ReviewedThrough = Date(2026, 10, 8), Note = "301 and MFN",
            },
            new V1.TariffCoverage { Importer = "CN", Origins = { "US" }, Kinds = { V1.TariffKind.Retaliatory }, ReviewedThrough = Date(2026, 6, 30) },
        },
        ExportControls =
        {
            new V1.ExportCoverage { Exporter = "CN", Destinations = { "US", "JP" }, AllDestinationControls = true, ReviewedThrough = Date(2026, 5, 1), Note = "dual use" },
            new V1.ExportCoverage { Exporter = "US", Destinations = { "CN" }, ReviewedThrough = Date(2026, 10, 8) },
        },
        Truces =
        {
            new V1.TruceCoverage { PartyA = "US", PartyB = "CN", ReviewedThrough = Date(2026, 10, 8), Note = "Geneva" },
            new V1.TruceCoverage { PartyA = "CN", PartyB = "JP", ReviewedThrough = Date(2026, 4, 1) },
        },
        ReviewedThrough = Date(2026, 10, 8), Recorded = Recorded, Etag = "3",
    };

    [Fact]
    public void A_model_maps_with_every_part_dated()
    {
        Assert.Equal(ModelProto, Model.ToProto(new DateOnly(2026, 10, 8)));
        var unrecorded = (Model with { Recorded = null }).ToProto(new DateOnly(2026, 10, 8));
        Assert.Equal(("", (V1.RecordInfo?)null), (unrecorded.Etag, unrecorded.Recorded));
    }

    [Fact]
    public void A_model_read_from_its_proto_keeps_each_part()
    {
        var sent = ModelProto;
        sent.Tariffs[1].ReviewedThrough = null;
        sent.ExportControls[1].ReviewedThrough = null;
        sent.Tariffs[0].Importer = " us";
        sent.Tariffs[0].Origins.Add("cn");                   // repeated: kept once
        sent.Tariffs[0].Kinds.Add(V1.TariffKind.Mfn);        // repeated: kept once
        sent.Tariffs[0].Note = " 301 and MFN ";
        sent.ExportControls[0].Note = "dual use ";
        sent.Truces[0].Note = " Geneva";
        var validation = new RequestValidation();

        var model = new ProtoReader(validation).Read(sent, "coverage");

        validation.ThrowIfInvalid();
        var expected = ModelProto;
        expected.Tariffs[1].ReviewedThrough = Date(2025, 1, 1);          // no date of its own: follows the whole data
        expected.ExportControls[1].ReviewedThrough = Date(2025, 1, 1);
        expected.ReviewedThrough = Date(2025, 1, 1);
        expected.Recorded = null;
        expected.Etag = "";
        Assert.Equal(expected, model.ToProto(new DateOnly(2025, 1, 1)));
    }

    [Theory]
    [InlineData("importer", "coverage.tariffs[1].importer")]
    [InlineData("origin", "coverage.tariffs[0].origins[1]")]
    [InlineData("no kinds", "coverage.tariffs[1].kinds")]
    [InlineData("kind", "coverage.tariffs[0].kinds[1]")]
    [InlineData("tariff reviewed_through", "coverage.tariffs[1].reviewed_through")]
    [InlineData("exporter", "coverage.export_controls[1].exporter")]
    [InlineData("destination", "coverage.export_controls[0].destinations[1]")]
    [InlineData("export reviewed_through", "coverage.export_controls[0].reviewed_through")]
    [InlineData("party_a", "coverage.truces[1].party_a")]
    [InlineData("party_b", "coverage.truces[0].party_b")]
    [InlineData("same parties", "coverage.truces[1].party_b")]
    [InlineData("truce reviewed_through", "coverage.truces[1].reviewed_through")]
    [InlineData("repeated importer", "coverage.tariffs[1].importer")]
    [InlineData("repeated exporter", "coverage.export_controls[1].exporter")]
    [InlineData("repeated pair", "coverage.truces[1].party_b")]
    public void Each_bad_part_is_a_violation_at_its_path(string change, string field)
    {
        var sent = ModelProto;
        var bad = Date(2026, 2, 30);
        switch (change)
        {
            case "importer": sent.Tariffs[1].Importer = "XX"; break;
            case "origin": sent.Tariffs[0].Origins[1] = "HKG"; break;
            case "no kinds": sent.Tariffs[1].Kinds.Clear(); break;
            case "kind": sent.Tariffs[0].Kinds[1] = V1.TariffKind.Unspecified; break;
            case "tariff reviewed_through": sent.Tariffs[1].ReviewedThrough = bad; break;
            case "exporter": sent.ExportControls[1].Exporter = ""; break;
            case "destination": sent.ExportControls[0].Destinations[1] = "EU"; break;
            case "export reviewed_through": sent.ExportControls[0].ReviewedThrough = bad; break;
            case "party_a": sent.Truces[1].PartyA = "C"; break;
            case "party_b": sent.Truces[0].PartyB = " "; break;
            case "same parties": sent.Truces[1].PartyB = "cn"; break;
            case "truce reviewed_through": sent.Truces[1].ReviewedThrough = bad; break;
            case "repeated importer": sent.Tariffs[1].Importer = "us"; break;
            case "repeated exporter": sent.ExportControls[1].Exporter = "CN"; break;
            case "repeated pair": sent.Truces[1] = new V1.TruceCoverage { PartyA = "CN", PartyB = "US" }; break;
        }
        var validation = new RequestValidation();

        new ProtoReader(validation).Read(sent, "coverage");

        Assert.Equal(field, Assert.Single(Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations).Field);
    }

    [Fact]
    public void Parts_whose_jurisdictions_are_all_unreadable_are_not_reported_as_repeats()
    {
        var sent = new V1.DataCoverage
        {
            Tariffs = { new V1.TariffCoverage { Kinds = { V1.TariffKind.Mfn } }, new V1.TariffCoverage { Kinds = { V1.TariffKind.Mfn } } },
            ExportControls = { new V1.ExportCoverage(), new V1.ExportCoverage() },
            Truces = { new V1.TruceCoverage(), new V1.TruceCoverage(), new V1.TruceCoverage { PartyA = "US" }, new V1.TruceCoverage { PartyA = "US" } },
        };
        var validation = new RequestValidation();

        new ProtoReader(validation).Read(sent, "c");

        Assert.Equal(
        [
            ("c.tariffs[0].importer", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.tariffs[1].importer", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.export_controls[0].exporter", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.export_controls[1].exporter", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.truces[0].party_a", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.truces[0].party_b", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.truces[1].party_a", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.truces[1].party_b", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.truces[2].party_b", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
            ("c.truces[3].party_b", "is required: an ISO 3166-1 alpha-2 country code such as \"US\""),
        ], Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations.Select(v => (v.Field, v.Description)));
    }

    [Fact]
    public void The_violations_of_a_model_say_what_is_wrong()
    {
        var sent = ModelProto;
        sent.Tariffs[1].Kinds.Clear();
        sent.Truces[1].PartyB = "CN";
        sent.ExportControls[1].Exporter = "CN";
        var validation = new RequestValidation();

        new ProtoReader(validation).Read(sent, "c");

        Assert.Equal(
        [
            ("c.tariffs[1].kinds", "is required: the kinds of duty held for this importer"),
            ("c.truces[1].party_b", "must differ from party_a"),
            ("c.export_controls[1].exporter", "repeats an earlier part: one part per jurisdiction (pair of parties)"),
        ], Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid).Violations.Select(v => (v.Field, v.Description)));
    }

    private static ReferenceData WithModel(D.CoverageModel model) => MappingData.Reference with
    {
        Coverage = [new CoverageEntry(RecordedTime, new DateOnly(2026, 10, 8))],
        CoverageModels = [model with { Recorded = new D.RecordInfo(1, RecordedTime, "a", "r") }],
    };

    [Fact]
    public void A_calendar_between_two_jurisdictions_is_covered_as_the_least_of_its_five_parts()
    {
        var reference = WithModel(Model);

        var pair = reference.PairCoverage(DateTime.MaxValue, "US", "CN", new DateOnly(2026, 1, 1));

        // CN controls on exports to the US were reviewed through 2026-05-01, the earliest of the pair's parts.
        Assert.Equal((new DateOnly(2026, 5, 1), false, true, false, ""), (pair.ReviewedThrough, pair.BeyondReviewedHorizon, pair.Covered, pair.MfnIncluded, pair.Notice));

        var uncovered = reference.PairCoverage(DateTime.MaxValue, "US", "JP", new DateOnly(2026, 1, 1));
        Assert.Equal(new DateOnly(2026, 10, 8), uncovered.ReviewedThrough);   // no part of this pair has a date of its own
        Assert.Equal(["origin-specific US measures for JP", "tariff measures of JP", "US controls for JP", "export controls of JP", "truces between US and JP"], uncovered.Uncovered);
    }

    [Fact]
    public void A_calendar_of_one_jurisdiction_or_none_is_covered_through_the_whole_data()
    {
        var pair = WithModel(Model).PairCoverage(DateTime.MaxValue, "US", null, new DateOnly(2026, 1, 1));
        Assert.Equal((new DateOnly(2026, 10, 8), true, ""), (pair.ReviewedThrough, pair.Covered, pair.Notice));
        Assert.Equal(new DateOnly(2026, 10, 8), WithModel(Model).PairCoverage(DateTime.MaxValue, null, "CN", new DateOnly(2026, 1, 1)).ReviewedThrough);
    }

    [Fact]
    public void Duty_export_and_truce_coverage_read_the_model_and_date_known_at_the_instant()
    {
        var reference = WithModel(Model);
        var duty = reference.DutyCoverage(DateTime.MaxValue, "CN", "US", new DateOnly(2026, 1, 1));
        Assert.Equal((new DateOnly(2026, 6, 30), true), (duty.ReviewedThrough, duty.Covered));
        var export = reference.ExportCoverage(DateTime.MaxValue, "CN", "JP", new DateOnly(2026, 1, 1));
        Assert.Equal((new DateOnly(2026, 5, 1), true), (export.ReviewedThrough, export.Covered));
        var truce = reference.TruceCoverage(DateTime.MaxValue, "JP", "CN", new DateOnly(2026, 1, 1));
        Assert.Equal((new DateOnly(2026, 4, 1), true), (truce.ReviewedThrough, truce.Covered));
    }
}
