using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

public sealed record ControlMatch(ExportControl Control, ControlPeriod Period, string MatchedBy);

public sealed record ExportAnswer(
    string Exporter,
    string Destination,
    ExportItem Item,
    DateOnly AsOf,
    bool LicenseRequired,
    bool Prohibited,
    IReadOnlyList<ControlMatch> InForce,
    IReadOnlyList<ControlMatch> Suspended,
    IReadOnlyList<ControlMatch> Announced)
{
    /// <summary>
    /// Empty unless the lines under a less specific code answer differently (<see cref="ExportVariants"/>): then each
    /// distinct answer, the lists above hold only the controls every variant shares, and the two flags are true when
    /// true for some line.
    /// </summary>
    public IReadOnlyList<LineVariant<ExportAnswer>> Variants { get; init; } = [];
}

/// <summary>Which export controls apply to an item on a date.</summary>
public static class ExportCheck
{
    public static ExportAnswer Resolve(IEnumerable<ExportControl> candidates, string exporter, string destination, ExportItem item, DateOnly asOf)
    {
        var inForce = new List<ControlMatch>();
        var suspended = new List<ControlMatch>();
        var announced = new List<ControlMatch>();

        foreach (var control in candidates.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            if (!Applies(control, exporter, destination)) continue;
            if (MatchItem(control, item, asOf) is not { } matchedBy) continue;
            if (AsOf.PeriodAt(control.Periods, asOf) is not { } period) continue;

            var match = new ControlMatch(control, period, matchedBy);
            (period.Status switch
            {
                PeriodStatus.InForce => inForce,
                PeriodStatus.Suspended => suspended,
                PeriodStatus.Announced => announced,
                _ => null,
            })?.Add(match);
        }

        var prohibited = inForce.Any(m => m.Control.ControlType == ExportControlType.Prohibited);
        var licence = prohibited || inForce.Any(m => m.Control.ControlType == ExportControlType.LicenseRequired);
        return new ExportAnswer(exporter, destination, item, asOf, licence, prohibited, inForce, suspended, announced);
    }

    public static bool Applies(ExportControl control, string exporter, string destination) =>
        control.Exporter == exporter && (control.AllDestinations || control.Destinations.Contains(destination));

    /// <summary>
    /// "hs:&lt;prefix&gt;" or "item:&lt;name&gt;" when the control covers the item on <paramref name="asOf"/>, else null.
    /// A null date asks whether it covers the item on some date (dated exclusions aside), as a timeline's candidates need.
    /// </summary>
    public static string? MatchItem(ExportControl control, ExportItem item, DateOnly? asOf)
    {
        if (item.HsCode is { } code)
        {
            var covered = asOf is { } date ? HsCode.IsCovered(control.Scope, code, date, out var prefix) : HsCode.IsCoveredOnSomeDate(control.Scope, code, out prefix);
            return covered ? $"hs:{prefix}" : null;
        }
        return control.Items.Any(i => i.Name == item.Name) ? $"item:{item.Name}" : null;
    }
}
