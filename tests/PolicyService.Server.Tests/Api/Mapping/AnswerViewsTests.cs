using Google.Protobuf.WellKnownTypes;
using PolicyService.Server.Api;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

/// <summary>The BASIC views (AIP-157): what each leaves out, written out in full.</summary>
public class AnswerViewsTests
{
    private static V1.DutyLayer Layer(string id) => new()
    {
        MeasureId = id, Kind = V1.TariffKind.Section301, Title = $"title {id}", AdValoremPercent = "25", LegalInstrument = $"instrument {id}",
        Period = new V1.TariffPeriod
        {
            RecordId = $"{id}-P", StartDate = Date(2025, 1, 1), EndDate = Date(2026, 1, 1), Status = V1.PeriodStatus.InForce, AdValoremPercent = "25",
            Note = "note",
        },
        Sources = { KnownSource }, Confidence = V1.Confidence.Confirmed, MatchedHsPrefix = "8507",
    };

    private static V1.DutyLayer BasicLayer(string id, bool priced) => new()
    {
        MeasureId = id, Kind = V1.TariffKind.Section301, AdValoremPercent = "25", LegalInstrument = priced ? $"instrument {id}" : "",
        Period = new V1.TariffPeriod { RecordId = $"{id}-P", StartDate = Date(2025, 1, 1), EndDate = Date(2026, 1, 1) },
        Sources = { priced ? [new V1.Source { Id = "S01" }] : Array.Empty<V1.Source>() }, Confidence = V1.Confidence.Confirmed,
    };

    private static V1.LookupDutyResponse Duty() => new()
    {
        Importer = "US", Layers = { Layer("L"), new V1.DutyLayer { MeasureId = "NOPERIOD" } }, TotalAdValoremPercent = "25",
        AnnouncedMeasures = { Layer("A") }, NonAdValoremMeasures = { Layer("N") },
        ExcludedLayers = { new V1.ExcludedLayer { Layer = Layer("X"), ExcludedByMeasureId = "L", Reason = "stacking" } },
        ExemptedLayers = { new V1.ExemptedLayer { Layer = Layer("E"), ExcludedHsPrefix = "850760", Reason = "exclusion" } },
        TruceEffects = { new V1.TruceEffect { TruceTermId = "TRU-S", Description = "suspended" } },
        Product = new V1.Product { HsCode = "8507600020" }, KnownAt = Timestamp.FromDateTime(RecordedTime),
        Coverage = new V1.Coverage { Covered = true, Notice = "for people" },
    };

    [Fact]
    public void The_basic_duty_view_keeps_what_pricing_needs()
    {
        Assert.Equal(new V1.LookupDutyResponse
        {
            Importer = "US", Layers = { BasicLayer("L", priced: true), new V1.DutyLayer { MeasureId = "NOPERIOD" } }, TotalAdValoremPercent = "25",
            AnnouncedMeasures = { BasicLayer("A", priced: false) }, NonAdValoremMeasures = { BasicLayer("N", priced: false) },
            ExcludedLayers = { new V1.ExcludedLayer { Layer = BasicLayer("X", priced: false), ExcludedByMeasureId = "L" } },
            ExemptedLayers = { new V1.ExemptedLayer { Layer = BasicLayer("E", priced: false), ExcludedHsPrefix = "850760" } },
            TruceEffects = { new V1.TruceEffect { TruceTermId = "TRU-S" } },
            Coverage = new V1.Coverage { Covered = true },
        }, Duty().Apply(V1.DutyView.Basic));
    }

    [Theory]
    [InlineData(V1.DutyView.Full)]
    [InlineData(V1.DutyView.Unspecified)]
    public void Any_other_duty_view_is_the_full_answer(V1.DutyView view) => Assert.Equal(Duty(), Duty().Apply(view));

    private static V1.ControlMatch Match(string id) => new()
    {
        ControlId = id, Title = $"title {id}", ControlType = V1.ExportControlType.Prohibited, LegalInstrument = "MOFCOM",
        Period = new V1.ControlPeriod
        {
            RecordId = $"{id}-P", StartDate = Date(2025, 1, 1), EndDate = Date(2026, 1, 1), SuspendedUntil = Date(2026, 1, 1),
            Status = V1.PeriodStatus.Suspended, LegalInstrument = "MOFCOM", TruceTermId = "TRU-S", Note = "note", Confidence = V1.Confidence.Reported,
        },
        Sources = { KnownSource }, Confidence = V1.Confidence.Reported, MatchedBy = "hs:8112", Rules = { "rule" },
    };

    private static V1.ControlMatch BasicMatch(string id) => new()
    {
        ControlId = id, ControlType = V1.ExportControlType.Prohibited, LegalInstrument = "MOFCOM",
        Period = new V1.ControlPeriod { RecordId = $"{id}-P", StartDate = Date(2025, 1, 1), EndDate = Date(2026, 1, 1), SuspendedUntil = Date(2026, 1, 1) },
        Sources = { new V1.Source { Id = "S01" } }, Confidence = V1.Confidence.Reported,
    };

    private static V1.CheckExportResponse Export() => new()
    {
        Exporter = "CN", Prohibited = true, ControlsInForce = { Match("I"), new V1.ControlMatch { ControlId = "NOPERIOD" } },
        ControlsSuspended = { Match("S") }, ControlsAnnounced = { Match("A") },
        Product = new V1.Product { HsCode = "8112923000" }, KnownAt = Timestamp.FromDateTime(RecordedTime),
        Coverage = new V1.Coverage { Covered = true, Notice = "for people" },
    };

    [Fact]
    public void The_basic_export_view_keeps_the_verdict_and_the_controls_behind_it()
    {
        Assert.Equal(new V1.CheckExportResponse
        {
            Exporter = "CN", Prohibited = true, ControlsInForce = { BasicMatch("I"), new V1.ControlMatch { ControlId = "NOPERIOD" } },
            ControlsSuspended = { BasicMatch("S") }, ControlsAnnounced = { BasicMatch("A") },
            KnownAt = Timestamp.FromDateTime(RecordedTime), Coverage = new V1.Coverage { Covered = true },
        }, Export().Apply(V1.ExportView.Basic));
        Assert.Equal(Export(), Export().Apply(V1.ExportView.Full));
    }

    private static V1.GetTruceStatusResponse Truces() => new()
    {
        Truces =
        {
            new V1.TruceStatus
            {
                Truce = new V1.Truce
                {
                    Id = "TRUCE", Title = "Geneva truce", Notes = "notes", Events = { new V1.PolicyEvent { Id = "EV" } }, Sources = { KnownSource },
                    Extensions = { new V1.TruceExtension { RecordId = "EXT", Note = "note", LegalInstrument = "EO" } },
                    Terms =
                    {
                        new V1.TruceTerm
                        {
                            Id = "TRU-S", Scope = "scope", Description = "description", StatusNote = "status", LegalInstrument = "EO",
                            Purchases = { new V1.PurchaseCommitment { Commodity = "soybeans" } }, Sources = { KnownSource },
                        },
                    },
                },
                DaysRemaining = 10,
                ResumingMeasures = { new V1.ResumingMeasure { MeasureId = "M", Title = "title", Description = "resumes", TruceTermId = "TRU-S" } },
            },
        },
        Coverage = new V1.Coverage { Covered = true, Notice = "for people" },
    };

    [Fact]
    public void The_basic_truce_view_keeps_the_windows_terms_and_what_resumes()
    {
        Assert.Equal(new V1.GetTruceStatusResponse
        {
            Truces =
            {
                new V1.TruceStatus
                {
                    Truce = new V1.Truce
                    {
                        Id = "TRUCE", Sources = { new V1.Source { Id = "S01" } },
                        Extensions = { new V1.TruceExtension { RecordId = "EXT", LegalInstrument = "EO" } },
                        Terms = { new V1.TruceTerm { Id = "TRU-S", LegalInstrument = "EO", Sources = { new V1.Source { Id = "S01" } } } },
                    },
                    DaysRemaining = 10,
                    ResumingMeasures = { new V1.ResumingMeasure { MeasureId = "M", TruceTermId = "TRU-S" } },
                },
            },
            Coverage = new V1.Coverage { Covered = true },
        }, Truces().Apply(V1.TruceView.Basic));
        Assert.Equal(Truces(), Truces().Apply(V1.TruceView.Full));
    }
}
