using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

public class TruceStatusLookupTests
{
    private static readonly Truce Truce = new("T", ["US", "CN"], "test truce", D("2025-05-12"), D("2025-05-14"), Confidence.Confirmed, "", ["S01"],
        [
            new TruceExtension("TRU-1", D("2025-05-14"), D("2025-08-12"), "", ""),
            new TruceExtension("TRU-4", D("2025-08-12"), D("2025-11-10"), "", ""),
        ],
        [
            // A window is in force by instrument when its term took effect (has an effective date).
            new TruceTerm("TRU-1", ["US"], TruceTermType.SuspendMeasure, "", "", "", null, D("2025-05-14"), "", ["M"], [], ["S01"], Confidence.Confirmed),
            new TruceTerm("TRU-4", ["US"], TruceTermType.SuspendMeasure, "", "", "", null, D("2025-08-12"), "", ["M", "C"], [], ["S01"], Confidence.Confirmed),
        ],
        []);

    private static readonly TariffMeasure Measure = Build.Measure("M", AllProducts(),
        Period("2025-05-14", "2025-08-12", PeriodStatus.InForce, 10m, 24m, "2025-08-12", "TRU-1"),
        Period("2025-08-12", null, PeriodStatus.InForce, 10m, 24m, "2025-11-10", "TRU-4"));

    private static readonly ExportControl Control = Build.Control("C", ExportControlType.LicenseRequired, AllProducts(), [],
        ControlPeriod("2025-08-12", null, PeriodStatus.Suspended, "2025-11-10", "TRU-4"));

    private static IReadOnlyList<TruceStatus> Status(string date, string a = "CN", string b = "US") =>
        TruceStatusLookup.Resolve([new TruceBundle(Truce, [Measure], [Control])], a, b, D(date));

    [Theory]
    [InlineData("2025-05-13", null, 0)]
    [InlineData("2025-05-14", "2025-08-12", 90)]
    [InlineData("2025-08-11", "2025-08-12", 1)]
    [InlineData("2025-08-12", "2025-11-10", 90)]   // the extension takes over on the old expiry day
    [InlineData("2025-11-09", "2025-11-10", 1)]
    [InlineData("2025-11-10", null, 0)]            // expired
    public void The_window_in_force_and_days_remaining(string date, string? expiry, int days)
    {
        var status = Status(date);
        if (expiry is null)
        {
            Assert.Empty(status);
            return;
        }
        var single = Assert.Single(status);
        Assert.Equal(D(expiry), single.Window.ExpiryDate);
        Assert.Equal(days, single.DaysRemaining);
    }

    [Fact]
    public void Parties_match_in_either_order_and_a_third_party_matches_nothing()
    {
        Assert.Single(Status("2025-06-01", "US", "CN"));
        Assert.Empty(Status("2025-06-01", "US", "MX"));
    }

    [Fact]
    public void Lists_the_suspended_measures_that_resume_at_expiry()
    {
        var resuming = Assert.Single(Status("2025-09-01")).Resuming;
        Assert.Equal(["M", "C"], resuming.Select(r => r.MeasureId));
        Assert.All(resuming, r => Assert.Equal(D("2025-11-10"), r.ResumesOn));
        Assert.Equal(TruceStatusLookup.ExportControl, resuming[1].MeasureType);
    }

    /// <summary>The truce above with a third window announced on 2025-10-01 whose term never took effect.</summary>
    private static readonly Truce WithReported = Truce with
    {
        Extensions = [.. Truce.Extensions, new TruceExtension("TRU-9", D("2025-11-10"), D("2026-01-10"), "", "reported")],
        Terms = [.. Truce.Terms, new TruceTerm("TRU-9", ["US", "CN"], TruceTermType.SuspendMeasure, "", "", "", D("2025-10-01"), null, "no instrument", [], [], ["S01"], Confidence.Reported)],
    };

    private static IReadOnlyList<TruceStatus> StatusWithReported(string date) =>
        TruceStatusLookup.Resolve([new TruceBundle(WithReported, [Measure], [Control])], "US", "CN", D(date));

    [Fact]
    public void A_reported_window_is_shown_beside_the_window_in_force_and_never_used_as_it()
    {
        var status = Assert.Single(StatusWithReported("2025-10-15"));
        Assert.Equal(D("2025-11-10"), status.Window.ExpiryDate);
        var reported = Assert.Single(status.Reported!);
        Assert.Equal(("TRU-9", D("2026-01-10"), Confidence.Reported), (reported.Term.Id, reported.Window.ExpiryDate, reported.Term.Confidence));
        Assert.Equal(D("2025-11-10"), TruceStatusLookup.LatestInForce(WithReported)!.ExpiryDate);
    }

    [Fact]
    public void A_reported_window_is_not_shown_before_its_announcement_nor_in_force_after_the_last_real_one()
    {
        Assert.Empty(Assert.Single(StatusWithReported("2025-09-01")).Reported!);
        Assert.Empty(StatusWithReported("2025-12-01"));
    }

    [Fact]
    public void A_reported_window_is_shown_from_the_day_of_its_announcement() =>
        Assert.Equal("TRU-9", Assert.Single(Assert.Single(StatusWithReported("2025-10-01")).Reported!).Term.Id);

    // A suspension resumes on its own date, else when its period ends, else when the window in force expires.
    [Fact]
    public void What_resumes_does_so_on_its_suspension_date_else_at_the_end_of_its_period_else_at_the_window_expiry()
    {
        var ended = Build.Measure("E", AllProducts(), Period("2025-08-12", "2025-10-01", PeriodStatus.Suspended, 20m, term: "TRU-4"));
        var open = Build.Measure("O", AllProducts(), Period("2025-08-12", null, PeriodStatus.Suspended, 15m, term: "TRU-4")) with { Title = "open" };
        var control = Build.Control("K", ExportControlType.Prohibited, AllProducts(), [], ControlPeriod("2025-08-12", "2025-10-15", PeriodStatus.Suspended, term: "TRU-4"));
        var early = Build.Control("L", ExportControlType.Prohibited, AllProducts(), [], ControlPeriod("2025-08-12", "2025-12-01", PeriodStatus.Suspended, "2025-10-20", "TRU-4"));

        var resuming = Assert.Single(TruceStatusLookup.Resolve([new TruceBundle(Truce, [ended, open, Measure], [control, early])], "US", "CN", D("2025-09-01"))).Resuming;

        Assert.Equal(
        [
            ("E", D("2025-10-01"), "measure E (20%)"),
            ("M", D("2025-11-10"), "24 suspended points of measure M, on top of the 10% that applies"),
            ("O", D("2025-11-10"), "open (15%)"),
            ("K", D("2025-10-15"), "control K"),
            ("L", D("2025-10-20"), "control L"),
        ], resuming.Select(r => (r.MeasureId, r.ResumesOn, r.Description)));
    }
}
