using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

public class ExportTimelineTests
{
    private static readonly ControlledItem Gallium = new("gallium", "", ["2805.30"]);

    private static readonly ExportControl Licence = Control("LICENCE", ExportControlType.LicenseRequired, Scope("280530"), [Gallium],
        ControlPeriod("2023-08-01", null, PeriodStatus.InForce));

    private static readonly ExportControl Ban = Control("BAN", ExportControlType.Prohibited, Scope("280530"), [Gallium],
        new ControlPeriod("B1", D("2024-12-03"), D("2025-11-09"), PeriodStatus.InForce, "", null, null, "", Confidence.Confirmed),
        new ControlPeriod("B2", D("2025-11-09"), D("2026-11-27"), PeriodStatus.Suspended, "", D("2026-11-27"), "TRU-9", "", Confidence.Confirmed),
        new ControlPeriod("B3", D("2026-11-27"), null, PeriodStatus.InForce, "", null, null, "", Confidence.Confirmed));

    [Fact]
    public void A_suspended_ban_is_a_segment_of_its_own_between_two_prohibitions()
    {
        var timeline = ExportTimeline.Resolve([Licence, Ban], "CN", "US", new ExportItem(null, "gallium"), D("2025-01-01"), D("2027-01-01"));

        Assert.Equal([(true, true), (true, false), (true, true)], timeline.Segments.Select(s => (s.Answer.LicenseRequired, s.Answer.Prohibited)));
        Assert.Equal([D("2025-01-01"), D("2025-11-09"), D("2026-11-27")], timeline.Segments.Select(s => s.Start));
        var suspension = Assert.Single(timeline.Segments[1].Changes);
        Assert.Equal((TimelineChangeKind.Suspended, "BAN", "TRU-9"), (suspension.Kind, suspension.Record.Id, suspension.After!.TruceTermId));
        Assert.Equal(["BAN"], timeline.Segments[1].Answer.Suspended.Select(m => m.Control.Id));
        Assert.Equal(TimelineChangeKind.Resumed, Assert.Single(timeline.Segments[2].Changes).Kind);
    }

    [Fact]
    public void A_dated_exclusion_of_the_code_is_a_cliff_of_its_own_while_the_control_runs_on()
    {
        var licence = Licence with { Scope = Scope("280530") with { DatedExclusions = [new("2805300000", D("2025-03-01"), D("2025-06-01"), "test")] } };
        var timeline = ExportTimeline.Resolve([licence], "CN", "US", new ExportItem("2805300000", null), D("2025-01-01"), D("2026-01-01"));

        Assert.Equal([(D("2025-01-01"), true), (D("2025-03-01"), false), (D("2025-06-01"), true)], timeline.Segments.Select(s => (s.Start, s.Answer.LicenseRequired)));
        Assert.Equal(TimelineChangeKind.ExemptionStarted, Assert.Single(timeline.Segments[1].Changes).Kind);
        Assert.Equal(TimelineChangeKind.ExemptionEnded, Assert.Single(timeline.Segments[2].Changes).Kind);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Every_segment_answers_as_the_check_on_any_date_inside_it(int seed)
    {
        var random = new Random(seed);
        var statuses = new[] { PeriodStatus.InForce, PeriodStatus.Suspended, PeriodStatus.Announced, PeriodStatus.Revoked };
        var types = new[] { ExportControlType.LicenseRequired, ExportControlType.Prohibited, ExportControlType.Facilitation };
        for (var round = 0; round < 25; round++)
        {
            var controls = Enumerable.Range(0, random.Next(1, 6)).Select(i =>
            {
                var periods = new List<ControlPeriod>();
                var date = D("2023-01-01").AddDays(random.Next(300));
                for (var p = 0; p < random.Next(1, 5); p++)
                {
                    var end = date.AddDays(random.Next(1, 300));
                    periods.Add(new ControlPeriod($"C{i}.{p}", date, end, statuses[random.Next(statuses.Length)], "", random.Next(3) == 0 ? end.AddDays(30) : null, null, "", Confidence.Confirmed));
                    date = random.Next(3) == 0 ? end.AddDays(random.Next(1, 60)) : end;
                }
                var scope = random.Next(2) == 0 ? Scope("280530") : Scope("2846");
                return Control($"C{i}", types[random.Next(types.Length)], scope, random.Next(2) == 0 ? [Gallium] : [], [.. periods]);
            }).ToList();
            var item = random.Next(2) == 0 ? new ExportItem("2805300000", null) : new ExportItem(null, "gallium");
            var start = D("2023-01-01").AddDays(random.Next(500));
            var end = start.AddDays(random.Next(1, 900));

            var timeline = ExportTimeline.Resolve(controls, "CN", "US", item, start, end);

            Assert.Equal((start, end), (timeline.Segments[0].Start, timeline.Segments[^1].End));
            for (var i = 0; i < timeline.Segments.Count; i++)
            {
                var segment = timeline.Segments[i];
                if (i > 0) Assert.False(ExportTimeline.SameAnswer(timeline.Segments[i - 1].Answer, segment.Answer));
                foreach (var date in new[] { segment.Start, segment.End.AddDays(-1), segment.Start.AddDays(random.Next(segment.End.DayNumber - segment.Start.DayNumber)) })
                {
                    Assert.True(ExportTimeline.SameAnswer(ExportCheck.Resolve(controls, "CN", "US", item, date), segment.Answer), $"seed {seed} round {round}: {date}");
                }
            }
        }
    }

    private static readonly ExportItem GalliumByName = new(null, "gallium");

    private static ExportControl LicenceOf(string id, params ControlPeriod[] periods) =>
        Control(id, ExportControlType.LicenseRequired, Scope("280530"), [Gallium], periods);

    private static ControlPeriod InForce(string record, string start, string? end) =>
        new(record, D(start), end is null ? null : D(end), PeriodStatus.InForce, "", null, null, "", Confidence.Confirmed);

    private static string[] Shown(ExportTimelineAnswer timeline) => timeline.Segments.Select(s => FormattableString.Invariant(
        $"{s.Start:yyyy-MM-dd}..{s.End:yyyy-MM-dd} licence={s.Answer.LicenseRequired} in force=[{string.Join(",", s.Answer.InForce.Select(m => $"{m.Control.Id}/{m.Period.RecordId}"))}] changes=[{string.Join(",", s.Changes.Select(c => $"{c.Record.Id} {c.Kind}"))}]")).ToArray();

    // The outcome (licence required) is the same on both sides; which control requires it is not, so it is a boundary.
    [Fact]
    public void A_licence_replaced_by_another_is_a_new_segment_with_both_changes_in_id_order()
    {
        var timeline = ExportTimeline.Resolve([LicenceOf("B", InForce("B1", "2025-06-01", null)), LicenceOf("A", InForce("A1", "2023-01-01", "2025-06-01"))],
            "CN", "US", GalliumByName, D("2025-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01..2025-06-01 licence=True in force=[A/A1] changes=[]",
            "2025-06-01..2026-01-01 licence=True in force=[B/B1] changes=[A Ended,B Started]",
        ], Shown(timeline));
    }

    [Fact]
    public void A_second_licence_starting_beside_the_first_is_a_new_segment()
    {
        var timeline = ExportTimeline.Resolve([LicenceOf("A", InForce("A1", "2023-01-01", null)), LicenceOf("B", InForce("B1", "2025-06-01", null))],
            "CN", "US", GalliumByName, D("2025-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01..2025-06-01 licence=True in force=[A/A1] changes=[]",
            "2025-06-01..2026-01-01 licence=True in force=[A/A1,B/B1] changes=[B Started]",
        ], Shown(timeline));
    }

    [Fact]
    public void A_licence_period_replaced_by_the_next_is_a_new_segment()
    {
        var timeline = ExportTimeline.Resolve([LicenceOf("A", InForce("A1", "2023-01-01", "2025-06-01"), InForce("A2", "2025-06-01", null))],
            "CN", "US", GalliumByName, D("2025-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01..2025-06-01 licence=True in force=[A/A1] changes=[]",
            "2025-06-01..2026-01-01 licence=True in force=[A/A2] changes=[A PeriodReplaced]",
        ], Shown(timeline));
    }

    [Fact]
    public void Controls_of_another_lane_or_another_item_are_no_changes_of_this_one()
    {
        var otherLane = LicenceOf("X", InForce("X1", "2025-06-01", null)) with { AllDestinations = false, Destinations = ["JP"] };
        var otherItem = LicenceOf("Y", InForce("Y1", "2025-06-01", null)) with { Items = [new ControlledItem("germanium", "", [])], Scope = Scope("8112") };

        var timeline = ExportTimeline.Resolve([otherLane, otherItem, LicenceOf("A", InForce("A1", "2025-06-01", null))],
            "CN", "US", GalliumByName, D("2025-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01..2025-06-01 licence=False in force=[] changes=[]",
            "2025-06-01..2026-01-01 licence=True in force=[A/A1] changes=[A Started]",
        ], Shown(timeline));
    }
}
