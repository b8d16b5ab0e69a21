using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

public class ExportCheckTests
{
    private static readonly ControlledItem Gallium = new("gallium", "", ["8112929010"]);

    private static readonly ExportControl Licence = Control("LICENCE", ExportControlType.LicenseRequired, Scope("8112929010"), [Gallium],
        ControlPeriod("2023-08-01", null, PeriodStatus.InForce));

    private static readonly ExportControl Ban = Control("BAN", ExportControlType.Prohibited, Scope("8112929010"), [Gallium],
        ControlPeriod("2024-12-03", "2025-11-09", PeriodStatus.InForce),
        ControlPeriod("2025-11-09", null, PeriodStatus.Suspended, suspendedUntil: "2026-11-27", term: "TRU-9")) with { AllDestinations = false, Destinations = ["US"] };

    private static ExportAnswer Check(string date, ExportItem item, string destination = "US") =>
        ExportCheck.Resolve([Licence, Ban], "CN", destination, item, D(date));

    [Fact]
    public void A_prohibition_in_force_means_prohibited_and_licence_required()
    {
        var answer = Check("2025-06-01", new ExportItem(null, "gallium"));
        Assert.True(answer.Prohibited);
        Assert.True(answer.LicenseRequired);
        Assert.Equal(["BAN", "LICENCE"], answer.InForce.Select(m => m.Control.Id));
        Assert.All(answer.InForce, m => Assert.Equal("item:gallium", m.MatchedBy));
    }

    [Fact]
    public void A_suspended_control_is_listed_with_its_end_date_and_changes_nothing()
    {
        var answer = Check("2025-11-09", new ExportItem("8112929010", null));
        Assert.False(answer.Prohibited);
        Assert.True(answer.LicenseRequired);
        var suspended = Assert.Single(answer.Suspended);
        Assert.Equal("BAN", suspended.Control.Id);
        Assert.Equal(D("2026-11-27"), suspended.Period.SuspendedUntil);
        Assert.Equal("hs:8112929010", answer.InForce.Single().MatchedBy);
    }

    [Fact]
    public void Destination_lists_limit_a_control()
    {
        var answer = Check("2025-06-01", new ExportItem(null, "gallium"), destination: "DE");
        Assert.Equal(["LICENCE"], answer.InForce.Select(m => m.Control.Id));
        Assert.False(answer.Prohibited);
    }

    [Fact]
    public void Nothing_applies_before_the_first_period_or_to_other_items()
    {
        Assert.False(Check("2023-07-31", new ExportItem(null, "gallium")).LicenseRequired);
        Assert.Empty(Check("2025-06-01", new ExportItem(null, "germanium")).InForce);
        Assert.Empty(Check("2025-06-01", new ExportItem("8112921000", null)).InForce);
    }

    [Fact]
    public void A_control_of_several_items_matches_each_of_them_by_name()
    {
        var metals = Control("METALS", ExportControlType.LicenseRequired, Scope("8112"), [new("germanium", "", []), Gallium],
            ControlPeriod("2023-08-01", null, PeriodStatus.InForce));

        var answer = ExportCheck.Resolve([metals], "CN", "US", new ExportItem(null, "gallium"), D("2025-06-01"));

        Assert.Equal("item:gallium", Assert.Single(answer.InForce).MatchedBy);
        Assert.Empty(ExportCheck.Resolve([metals], "CN", "US", new ExportItem(null, "antimony"), D("2025-06-01")).InForce);
    }
}
