using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>One assumption of a what-if (mirrors tradepolicy.v1.ScenarioAssumption).</summary>
public abstract record ScenarioAssumption(DateOnly OnDate);

/// <summary>From <see cref="ScenarioAssumption.OnDate"/> every term of the truce ends: what they suspended or reduced resumes.</summary>
public sealed record TruceLapse(string TruceId, IReadOnlySet<string> TermIds, DateOnly OnDate) : ScenarioAssumption(OnDate);

/// <summary>From <see cref="ScenarioAssumption.OnDate"/> an announced measure (or control) is in force as announced.</summary>
public sealed record AnnouncedTakesEffect(string RecordId, DateOnly OnDate) : ScenarioAssumption(OnDate);

/// <summary>What the overlay needs of a kind of period: its truce term, and a copy over other dates.</summary>
internal sealed record PeriodShape<T>(Func<T, string?> TermOf, Func<T, DateOnly, DateOnly?, T> WithDates);

/// <summary>An assumption and the records whose history it changed in this answer.</summary>
public sealed record AppliedAssumption(ScenarioAssumption Assumption, IReadOnlyList<string> ChangedRecordIds);

/// <summary>
/// What-ifs as a pure rewrite of the candidates' histories for one request: the queries then answer from the rewritten
/// records exactly as from enacted ones. Nothing here is stored or shared, so enacted answers can never see it.
/// </summary>
public static class ScenarioOverlay
{
    private static readonly PeriodShape<TariffPeriod> TariffShape = new(p => p.TruceTermId, (p, start, end) => p with { StartDate = start, EndDate = end });
    private static readonly PeriodShape<ControlPeriod> ControlShape = new(p => p.TruceTermId, (p, start, end) => p with { StartDate = start, EndDate = end });

    public static (IReadOnlyList<TariffMeasure> Measures, IReadOnlyList<AppliedAssumption> Applied) Apply(
        IReadOnlyList<TariffMeasure> measures, IReadOnlyList<ScenarioAssumption> assumptions)
    {
        var current = measures.ToList();
        var applied = new List<AppliedAssumption>();
        foreach (var assumption in assumptions)
        {
            var changed = new List<string>();
            for (var i = 0; i < current.Count; i++)
            {
                var periods = assumption switch
                {
                    TruceLapse lapse => Lapse(current[i].Periods, lapse, TariffShape, Resume),
                    AnnouncedTakesEffect effect when effect.RecordId == current[i].Id =>
                        TakeEffect(current[i].Periods, effect.OnDate, TariffShape, (announced, start, end) => announced with
                        {
                            StartDate = start, EndDate = end, Status = PeriodStatus.InForce, SuspendedPercent = null, SuspendedUntil = null,
                            Note = Hypothetical(assumption),
                        }),
                    _ => null,
                };
                if (periods is null) continue;
                current[i] = current[i] with { Periods = periods };
                changed.Add(current[i].Id);
            }
            applied.Add(new(assumption, changed));
        }
        return (current, applied);

        // A tariff period a truce term created, as it would be without the term.
        TariffPeriod Resume(TariffPeriod period, IReadOnlyList<TariffPeriod> history, TruceLapse lapse) => period with
        {
            Status = period.Status == PeriodStatus.Suspended ? PeriodStatus.InForce : period.Status,
            AdValoremPercent = period switch
            {
                { Status: PeriodStatus.Suspended } => period.AdValoremPercent,
                { SuspendedPercent: > 0 } => period.AdValoremPercent + period.SuspendedPercent,
                // A reduced rate: the one in force before any term of this truce, when the history has it.
                _ => history.LastOrDefault(p => p.StartDate < period.StartDate && p.Status == PeriodStatus.InForce && !lapse.TermIds.Contains(p.TruceTermId ?? ""))?.AdValoremPercent
                     ?? period.AdValoremPercent,
            },
            SuspendedPercent = null,
            SuspendedUntil = null,
            TruceTermId = null,
            Note = Hypothetical(lapse),
        };
    }

    public static (IReadOnlyList<ExportControl> Controls, IReadOnlyList<AppliedAssumption> Applied) Apply(
        IReadOnlyList<ExportControl> controls, IReadOnlyList<ScenarioAssumption> assumptions)
    {
        var current = controls.ToList();
        var applied = new List<AppliedAssumption>();
        foreach (var assumption in assumptions)
        {
            var changed = new List<string>();
            for (var i = 0; i < current.Count; i++)
            {
                var periods = assumption switch
                {
                    // A suspended control resumes; terms that set up anything else end with nothing to restore.
                    TruceLapse lapse => Lapse(current[i].Periods, lapse, ControlShape, (p, _, l) => p with
                    {
                        Status = p.Status == PeriodStatus.Suspended ? PeriodStatus.InForce : p.Status, SuspendedUntil = null, TruceTermId = null, Note = Hypothetical(l),
                    }),
                    AnnouncedTakesEffect effect when effect.RecordId == current[i].Id =>
                        TakeEffect(current[i].Periods, effect.OnDate, ControlShape, (announced, start, end) => announced with
                        {
                            StartDate = start, EndDate = end, Status = PeriodStatus.InForce, SuspendedUntil = null, Note = Hypothetical(assumption),
                        }),
                    _ => null,
                };
                if (periods is null) continue;
                current[i] = current[i] with { Periods = periods };
                changed.Add(current[i].Id);
            }
            applied.Add(new(assumption, changed));
        }
        return (current, applied);
    }

    /// <summary>
    /// The history with every period of the truce's terms that runs on or after the lapse date cut there and resumed from
    /// it; null when no period of the history is the truce's.
    /// </summary>
    private static List<T>? Lapse<T>(IReadOnlyList<T> periods, TruceLapse lapse, PeriodShape<T> shape, Func<T, IReadOnlyList<T>, TruceLapse, T> resume)
        where T : class, IPeriod
    {
        var result = new List<T>(periods.Count + 1);
        var changed = false;
        foreach (var period in periods)
        {
            var ofTruce = shape.TermOf(period) is { } term && lapse.TermIds.Contains(term);
            if (!ofTruce || period.EndDate is { } end && end <= lapse.OnDate)
            {
                result.Add(period);
                continue;
            }
            changed = true;
            if (period.StartDate < lapse.OnDate)
            {
                result.Add(shape.WithDates(period, period.StartDate, lapse.OnDate));
                result.Add(shape.WithDates(resume(period, periods, lapse), lapse.OnDate, period.EndDate));
            }
            else
            {
                result.Add(resume(period, periods, lapse));
            }
        }
        return changed ? result : null;
    }

    /// <summary>
    /// The history with the measure in force from <paramref name="onDate"/> at its announced terms, until the enacted
    /// history next has it in force; null when it has no announced period or is already in force on that date.
    /// </summary>
    private static List<T>? TakeEffect<T>(IReadOnlyList<T> periods, DateOnly onDate, PeriodShape<T> shape, Func<T, DateOnly, DateOnly?, T> inForce)
        where T : class, IPeriod
    {
        if (AsOf.PeriodAt(periods, onDate) is { Status: PeriodStatus.InForce }) return null;
        // The announcement that covers the date, else the latest one before it, else the first one after it.
        var announced = AsOf.PeriodAt(periods, onDate) is { Status: PeriodStatus.Announced } covering ? covering
            : periods.LastOrDefault(p => p.Status == PeriodStatus.Announced && p.StartDate <= onDate)
              ?? periods.FirstOrDefault(p => p.Status == PeriodStatus.Announced);
        if (announced is null) return null;

        var enactedStart = periods.Where(p => p.Status == PeriodStatus.InForce && p.StartDate > onDate).Select(p => (DateOnly?)p.StartDate).Min();
        var result = new List<T>();
        foreach (var period in periods)
        {
            if (period.EndDate is { } end && end <= onDate) result.Add(period);                                    // before the assumption
            else if (period.StartDate < onDate) result.Add(shape.WithDates(period, period.StartDate, onDate));            // cut at it
        }
        result.Add(inForce(announced, onDate, enactedStart));
        if (enactedStart is { } from)
        {
            foreach (var period in periods)
            {
                if (period.StartDate >= from) result.Add(period);
                else if (period.EndDate is not { } end || end > from) result.Add(shape.WithDates(period, from, period.EndDate));
            }
        }
        return result;
    }

    private static string Hypothetical(ScenarioAssumption assumption) => assumption switch
    {
        TruceLapse lapse => string.Create(CultureInfo.InvariantCulture, $"hypothetical: {lapse.TruceId} lapses on {lapse.OnDate:yyyy-MM-dd}"),
        AnnouncedTakesEffect effect => string.Create(CultureInfo.InvariantCulture, $"hypothetical: {effect.RecordId} takes effect on {effect.OnDate:yyyy-MM-dd}"),
        // Stryker disable once String : unreachable, every assumption is a TruceLapse or an AnnouncedTakesEffect
        _ => "hypothetical",
    };
}
