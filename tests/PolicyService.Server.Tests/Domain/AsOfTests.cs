using PolicyService.Server.Domain;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Domain;

public class AsOfTests
{
    // The fentanyl duty's shape: 20 % until a cut takes effect on 2025-11-10, then 10 %, then revoked on 2026-02-24.
    private static readonly TariffPeriod[] History =
    [
        Period("2025-03-04", "2025-11-10", PeriodStatus.InForce, 20m),
        Period("2025-11-10", "2026-02-24", PeriodStatus.InForce, 10m),
        Period("2026-02-24", null, PeriodStatus.Revoked, null),
    ];

    [Theory]
    [InlineData("2025-03-03", null)]    // the day before the first period
    [InlineData("2025-03-04", "20")]    // its first day
    [InlineData("2025-11-09", "20")]    // the day before the change
    [InlineData("2025-11-10", "10")]    // the day of the change: the new period, not the old
    [InlineData("2025-11-11", "10")]    // the day after
    [InlineData("2026-02-23", "10")]
    [InlineData("2026-02-24", "revoked")]
    [InlineData("2031-01-01", "revoked")] // open-ended
    public void The_period_covering_a_date_is_half_open(string date, string? expected)
    {
        var period = AsOf.PeriodAt(History, D(date));
        var actual = period switch
        {
            null => null,
            { Status: PeriodStatus.Revoked } => "revoked",
            _ => period.AdValoremPercent!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_single_day_period_covers_only_its_start_day()
    {
        var oneDay = Period("2025-04-09", "2025-04-10", PeriodStatus.InForce, 84m);
        Assert.False(oneDay.Covers(D("2025-04-08")));
        Assert.True(oneDay.Covers(D("2025-04-09")));
        Assert.False(oneDay.Covers(D("2025-04-10")));
    }
}
