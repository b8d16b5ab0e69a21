using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>
/// What an answer's data covers and how current it is. Silence must never read as "nothing applies": an answer for a
/// request outside the coverage model, past the reviewed horizon, or without MFN base rates says so, as data and as
/// sentences in <see cref="Notice"/>.
/// </summary>
public sealed record Coverage(DateOnly ReviewedThrough, bool BeyondReviewedHorizon, bool Covered, IReadOnlyList<string> Uncovered,
    bool MfnIncluded, string Notice)
{
    /// <summary>A duty answer (lookup or timeline) for goods from <paramref name="origin"/> into <paramref name="importer"/>.</summary>
    public static Coverage ForDuty(CoverageModel model, DateOnly dataReviewedThrough, string importer, string origin, DateOnly lastDay)
    {
        var part = model.Tariffs.FirstOrDefault(t => t.Importer == importer);
        var uncovered = new List<string>();
        var notices = new List<string>();
        if (part is null)
        {
            uncovered.Add($"tariff measures of {importer}");
            notices.Add($"The data holds no tariff measures of {importer}: this answer lists none because none are covered, not because no duty applies.");
        }
        else if (!part.Origins.Contains(origin))
        {
            if (part.AllOriginMeasures)
            {
                uncovered.Add($"origin-specific {importer} measures for {origin}");
                notices.Add($"Only measures applying to all origins are held for {importer} imports from {origin}; origin-specific measures are not covered.");
            }
            else
            {
                uncovered.Add($"{importer} measures for {origin}");
                notices.Add($"{importer} measures are held only for goods from {string.Join(", ", part.Origins)}; {importer} imports from {origin} are not covered.");
            }
        }
        var mfn = part?.Kinds.Contains(TariffKind.Mfn) ?? false;
        if (!mfn)
            notices.Add("MFN base rates are not in the data: total_ad_valorem_percent adds up the additional duties covered, not the whole duty.");
        return Build(part?.ReviewedThrough ?? dataReviewedThrough, lastDay, uncovered, mfn, notices);
    }

    /// <summary>An export answer (check or timeline) for goods leaving <paramref name="exporter"/> for <paramref name="destination"/>.</summary>
    public static Coverage ForExport(CoverageModel model, DateOnly dataReviewedThrough, string exporter, string destination, DateOnly lastDay)
    {
        var part = model.ExportControls.FirstOrDefault(e => e.Exporter == exporter);
        var uncovered = new List<string>();
        var notices = new List<string>();
        if (part is null)
        {
            uncovered.Add($"export controls of {exporter}");
            notices.Add($"The data holds no export controls of {exporter}: this answer lists none because none are covered, not because none apply.");
        }
        else if (!part.Destinations.Contains(destination))
        {
            if (part.AllDestinationControls)
            {
                uncovered.Add($"destination-specific {exporter} controls for {destination}");
                notices.Add($"Only controls applying to all destinations are held for {exporter} exports to {destination}; destination-specific controls are not covered.");
            }
            else
            {
                uncovered.Add($"{exporter} controls for {destination}");
                notices.Add($"{exporter} controls are held only for exports to {string.Join(", ", part.Destinations)}; {exporter} exports to {destination} are not covered.");
            }
        }
        return Build(part?.ReviewedThrough ?? dataReviewedThrough, lastDay, uncovered, false, notices);
    }

    /// <summary>A truce answer for the parties <paramref name="partyA"/> and <paramref name="partyB"/>.</summary>
    public static Coverage ForTruce(CoverageModel model, DateOnly dataReviewedThrough, string partyA, string partyB, DateOnly asOf)
    {
        var part = model.Truces.FirstOrDefault(t => t.Is(partyA, partyB));
        List<string> uncovered = part is null ? [$"truces between {partyA} and {partyB}"] : [];
        List<string> notices = part is null
            ? [$"The data holds no truces between {partyA} and {partyB}: an answer without one is not a statement that none exists."]
            : [];
        return Build(part?.ReviewedThrough ?? dataReviewedThrough, asOf, uncovered, false, notices);
    }

    /// <summary>An answer that spans several parts (a calendar): what they miss together, without duty sentences.</summary>
    public static Coverage ForScope(DateOnly reviewedThrough, DateOnly lastDay, IReadOnlyList<string> uncovered) =>
        Build(reviewedThrough, lastDay, [.. uncovered], false,
            uncovered.Count == 0 ? [] : [$"Only what the data holds is listed; not covered: {string.Join("; ", uncovered)}."]);

    private static Coverage Build(DateOnly reviewedThrough, DateOnly lastDay, List<string> uncovered, bool mfn, List<string> notices)
    {
        var beyond = lastDay > reviewedThrough;
        if (beyond)
            notices.Insert(0, string.Create(CultureInfo.InvariantCulture,
                $"The data was reviewed through {reviewedThrough:yyyy-MM-dd}; changes that took effect after that date, and before {lastDay:yyyy-MM-dd}, may be missing from this answer."));
        return new(reviewedThrough, beyond, uncovered.Count == 0, uncovered, mfn, string.Join(' ', notices));
    }
}

/// <summary>Exact decimal percents as the API writes them: "7.5", "45", "0".</summary>
public static class Percent
{
    public static string Format(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    public static string Format(decimal? value) => value is { } v ? Format(v) : string.Empty;
}
