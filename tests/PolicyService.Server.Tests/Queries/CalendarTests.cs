using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

public class CalendarTests
{
    // US on CN and HK: 25 from 2024-01-01, stepping to 50 on 2025-01-01, suspended down to 10 (40 points) until
    // 2026-11-10 by a term, then nothing recorded after 2027-01-01.
    private static readonly TariffMeasure Stepping = Measure("STEP", Scope("8507"),
        Period("2024-01-01", "2025-01-01", PeriodStatus.InForce, 25m, record: "P1"),
        Period("2025-01-01", "2025-06-01", PeriodStatus.InForce, 50m, record: "P2"),
        Period("2025-06-01", "2027-01-01", PeriodStatus.InForce, 10m, suspended: 40m, suspendedUntil: "2026-11-10", term: "TRU-1", record: "P3"));

    private static readonly TariffMeasure Threat = Measure("THREAT", AllProducts(),
        Period("2026-11-01", null, PeriodStatus.Announced, 100m, record: "A1")) with { Importer = "US", Origins = ["CN"] };

    private static readonly TariffMeasure Revoked = Measure("REVOKED", AllProducts(),
        Period("2025-02-01", "2025-03-01", PeriodStatus.InForce, 10m, record: "V1"),
        Period("2025-03-01", null, PeriodStatus.Revoked, null, record: "V2")) with { Importer = "CN", Origins = ["US"] };

    private static readonly TariffMeasure Elsewhere = Measure("ELSEWHERE", AllProducts(),
        Period("2025-02-01", null, PeriodStatus.InForce, 10m)) with { Importer = "US", Origins = ["VN"] };

    private static readonly ExportControl Ban = Control("BAN", ExportControlType.Prohibited, AllProducts(), [],
        ControlPeriod("2025-11-09", null, PeriodStatus.Suspended, suspendedUntil: "2026-11-27", term: "TRU-2")) with { AllDestinations = false, Destinations = ["US"] };

    private static readonly Truce Truce = new("TRUCE", ["US", "CN"], "the truce", D("2025-05-12"), D("2025-05-14"), Confidence.Confirmed, "", ["S01"],
        [new TruceExtension("W1", D("2025-05-14"), D("2025-08-12"), "", ""), new TruceExtension("W2", D("2025-08-12"), D("2026-11-10"), "", "")], [], []);

    private static List<ScheduledChange> Between(string? a, string? b, string start = "2024-01-01", string end = "2028-01-01") =>
        Calendar.Resolve([Stepping, Threat, Revoked, Elsewhere], [Ban], [Truce], a, b, D(start), D(end));

    [Fact]
    public void Every_boundary_of_the_pair_is_listed_in_date_order_with_what_changes()
    {
        var changes = Between("US", "CN");

        Assert.Equal(
            [
                ("2024-01-01", ScheduledChangeKind.PeriodStarts, "STEP"), ("2025-01-01", ScheduledChangeKind.RateSteps, "STEP"),
                ("2025-02-01", ScheduledChangeKind.PeriodStarts, "REVOKED"), ("2025-03-01", ScheduledChangeKind.StatusChanges, "REVOKED"),
                ("2025-06-01", ScheduledChangeKind.RateSteps, "STEP"), ("2025-11-09", ScheduledChangeKind.PeriodStarts, "BAN"),
                ("2026-11-01", ScheduledChangeKind.AnnouncedStart, "THREAT"), ("2026-11-10", ScheduledChangeKind.SuspensionEnds, "STEP"),
                ("2026-11-10", ScheduledChangeKind.TruceExpires, "TRUCE"), ("2026-11-27", ScheduledChangeKind.SuspensionEnds, "BAN"),
                ("2027-01-01", ScheduledChangeKind.PeriodEnds, "STEP"),
            ],
            changes.Select(c => (c.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), c.Kind, c.RecordId)));

        var step = changes.Single(c => c.Kind == ScheduledChangeKind.RateSteps && c.Date == D("2025-01-01"));
        Assert.Equal((25m, 50m, "P2"), (step.RateBefore, step.RateAfter, step.PeriodRecordId));
        var resumes = changes.Single(c => c.Kind == ScheduledChangeKind.SuspensionEnds && c.RecordId == "STEP");
        Assert.Equal((10m, 50m, "TRU-1"), (resumes.RateBefore, resumes.RateAfter, resumes.TruceTermId));   // 10 + the 40 suspended points
        var revoked = changes.Single(c => c.Kind == ScheduledChangeKind.StatusChanges);
        Assert.Equal((PeriodStatus.InForce, PeriodStatus.Revoked), (revoked.StatusBefore, revoked.StatusAfter));
        Assert.Equal("W2", changes.Single(c => c.Kind == ScheduledChangeKind.TruceExpires).PeriodRecordId);   // not W1: W2 extended it
        Assert.DoesNotContain(changes, c => c.RecordId == "ELSEWHERE");
    }

    [Fact]
    public void The_range_is_half_open_and_the_pair_is_read_in_either_order()
    {
        Assert.Equal(Between("US", "CN").Select(c => c.Key), Between("CN", "US").Select(c => c.Key));
        Assert.Equal(["2026-11-10"], Between("US", "CN", "2026-11-10", "2026-11-11").Select(c => c.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Distinct());
        Assert.Empty(Between("US", "CN", "2026-11-11", "2026-11-27"));
        Assert.Single(Between("US", "CN", "2026-11-11", "2026-11-28"));
    }

    [Fact]
    public void One_side_or_none_widens_the_calendar()
    {
        Assert.Contains(Between("US", null), c => c.RecordId == "ELSEWHERE");
        Assert.Contains(Between("VN", null), c => c.RecordId == "ELSEWHERE");
        Assert.DoesNotContain(Between("VN", null), c => c.RecordId == "STEP");
        Assert.Equal(Between(null, null).Count, Between("US", null).Count);   // every record here has the US on one side
        Assert.Empty(Between("DE", "FR"));
    }

    // Each kind of boundary says what happens in words, with the rate where there is one.
    [Fact]
    public void Each_change_is_described_with_its_statuses_and_rates()
    {
        var history = Measure("H", AllProducts(),
            Period("2025-01-01", "2025-02-01", PeriodStatus.Announced, 10m, record: "P0"),
            Period("2025-02-01", "2025-03-01", PeriodStatus.InForce, 10m, record: "P1"),
            Period("2025-03-01", "2025-04-01", PeriodStatus.InForce, 15m, record: "P2"),
            Period("2025-04-01", "2025-05-01", PeriodStatus.Suspended, 15m, suspendedUntil: "2025-05-01", term: "TRU-S", record: "P3"),
            Period("2025-06-01", "2025-07-01", PeriodStatus.Revoked, null, record: "P4"),
            Period("2025-08-01", null, PeriodStatus.Expired, null, record: "P5")) with { Title = "H" };
        var points = Measure("I", AllProducts(), Period("2025-01-01", null, PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2025-09-01", record: "Q1")) with { Title = "I" };
        var plan = Control("J", ExportControlType.LicenseRequired, AllProducts(), [], ControlPeriod("2025-03-15", null, PeriodStatus.Announced)) with { Title = "J", Destinations = ["US"], AllDestinations = false };

        var changes = Calendar.Resolve([history, points], [plan], [], "US", "CN", D("2024-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01 AnnouncedStart H: announced to take effect at 10% (not enacted).",
            "2025-01-01 PeriodStarts I: in force from this date at 10%.",
            "2025-02-01 StatusChanges H: announced → in force at 10%.",
            "2025-03-01 RateSteps H: the rate steps from 10% to 15%.",
            "2025-03-15 AnnouncedStart J: announced to take effect (not enacted).",
            "2025-04-01 StatusChanges H: in force → suspended at 15%.",
            "2025-05-01 PeriodEnds H: the suspended period ends, with nothing recorded after it.",
            "2025-05-01 SuspensionEnds H: the suspension by truce term TRU-S ends; what it suspended applies again unless extended.",
            "2025-06-01 PeriodStarts H: revoked from this date.",
            "2025-07-01 PeriodEnds H: the revoked period ends, with nothing recorded after it.",
            "2025-08-01 PeriodStarts H: expired from this date.",
            "2025-09-01 SuspensionEnds I: the suspension ends; what it suspended applies again unless extended at 34%.",
        ], changes.Select(c => FormattableString.Invariant($"{c.Date:yyyy-MM-dd} {c.Kind} {c.Description}")));
    }

    [Fact]
    public void A_truce_is_on_the_calendar_of_its_own_parties_only_and_its_expiry_is_described()
    {
        var other = Truce with { Id = "OTHER", Parties = ["US", "JP"], Title = "another truce" };

        var changes = Calendar.Resolve([], [], [Truce, other], "US", "CN", D("2024-01-01"), D("2028-01-01"));

        Assert.Equal(["2026-11-10 TRUCE W2 the truce: the window in force (W2) expires unless extended."],
            changes.Select(c => FormattableString.Invariant($"{c.Date:yyyy-MM-dd} {c.RecordId} {c.PeriodRecordId} {c.Description}")));
    }
}
