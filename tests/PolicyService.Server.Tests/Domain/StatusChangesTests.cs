using PolicyService.Server.Changes;
using PolicyService.Server.Domain;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Domain;

public class StatusChangesTests
{
    private static readonly TariffMeasure Fentanyl = Measure("F", AllProducts(),
        Period("2025-03-04", null, PeriodStatus.InForce, 20m, record: "TAR-US-15"));

    private static StatusChange Change(PeriodStatus status, string effective, decimal? rate = null, string? until = null, string? term = null) =>
        new("F", status, D(effective), rate, null, until is null ? null : D(until), term, "EO", "TAR-US-16", "", Confidence.Confirmed);

    [Fact]
    public void A_rate_change_closes_the_latest_period_the_day_the_new_one_starts()
    {
        var changed = StatusChanges.Apply(Fentanyl, Change(PeriodStatus.InForce, "2025-11-10", rate: 10m, term: "TRU-10"));
        Assert.Equal(2, changed.Periods.Count);
        Assert.Equal((D("2025-11-10"), (DateOnly?)null, 10m, "TRU-10"), (changed.Periods[1].StartDate, changed.Periods[1].EndDate, changed.Periods[1].AdValoremPercent, changed.Periods[1].TruceTermId));
        Assert.Equal(Fentanyl.Periods[0] with { EndDate = D("2025-11-10") }, changed.Periods[0]); // only its end is set
    }

    [Fact]
    public void A_suspension_keeps_the_rate_and_says_until_when()
    {
        var suspended = StatusChanges.Apply(Fentanyl, Change(PeriodStatus.Suspended, "2025-11-10", until: "2026-11-10"));
        Assert.Equal((PeriodStatus.Suspended, 20m, D("2026-11-10")), (suspended.Periods[1].Status, suspended.Periods[1].AdValoremPercent!.Value, suspended.Periods[1].SuspendedUntil!.Value));
    }

    [Fact]
    public void A_revocation_ends_the_rate()
    {
        var revoked = StatusChanges.Apply(Fentanyl, Change(PeriodStatus.Revoked, "2026-02-24"));
        Assert.Null(revoked.Periods[1].AdValoremPercent);
    }

    [Theory]
    [InlineData("2025-03-04")]   // the latest period's own start
    [InlineData("2025-01-01")]   // before it
    public void A_change_not_after_the_latest_start_is_refused(string effective) =>
        Assert.Equal(D("2025-03-04"), Assert.Throws<StatusChangeOrderException>(() => StatusChanges.Apply(Fentanyl, Change(PeriodStatus.Revoked, effective))).LatestStart);

    [Fact]
    public void A_latest_period_that_already_ended_keeps_its_end_and_the_gap_stays_unknown()
    {
        var ended = Fentanyl with { Periods = [Fentanyl.Periods[0] with { EndDate = D("2025-06-01") }] };
        var changed = StatusChanges.Apply(ended, Change(PeriodStatus.InForce, "2025-09-01", rate: 5m));
        Assert.Equal(D("2025-06-01"), changed.Periods[0].EndDate);
        Assert.Equal(D("2025-09-01"), changed.Periods[1].StartDate);
    }

    [Theory]
    [InlineData("changes[2].create_tariff_measure.periods[1].endDate", "changes[2].create_tariff_measure.periods[1].end_date")]
    [InlineData("tariff_measure.scope.hsPrefixes", "tariff_measure.product_scope.hs_prefixes")]
    [InlineData("changes[0].update_tariff_measure.scope.datedExclusions[3].endDate", "changes[0].update_tariff_measure.product_scope.dated_exclusions[3].end_date")]
    [InlineData("truce.terms[0].sourceIds", "truce.terms[0].sources")]
    public void Validator_paths_are_reported_in_proto_field_names(string path, string expected) =>
        Assert.Equal(expected, ChangePlanner.ProtoPath(path));
}
