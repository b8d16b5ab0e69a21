using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>The coverage model to and from tradepolicy.v1, and the coverage of each kind of answer.</summary>
public static class CoverageMapping
{
    /// <summary>The model with every part's reviewed-through date filled in (a part without one follows the whole data).</summary>
    public static V1.DataCoverage ToProto(this D.CoverageModel model, DateOnly dataReviewedThrough) => new()
    {
        Tariffs =
        {
            model.Tariffs.Select(t => new V1.TariffCoverage
            {
                Importer = t.Importer, Origins = { t.Origins }, AllOriginMeasures = t.AllOriginMeasures,
                Kinds = { t.Kinds.Select(k => k.ToProto()) }, ReviewedThrough = (t.ReviewedThrough ?? dataReviewedThrough).ToProto(), Note = t.Note,
            }),
        },
        ExportControls =
        {
            model.ExportControls.Select(e => new V1.ExportCoverage
            {
                Exporter = e.Exporter, Destinations = { e.Destinations }, AllDestinationControls = e.AllDestinationControls,
                ReviewedThrough = (e.ReviewedThrough ?? dataReviewedThrough).ToProto(), Note = e.Note,
            }),
        },
        Truces =
        {
            model.Truces.Select(t => new V1.TruceCoverage
            {
                PartyA = t.PartyA, PartyB = t.PartyB, ReviewedThrough = (t.ReviewedThrough ?? dataReviewedThrough).ToProto(), Note = t.Note,
            }),
        },
        ReviewedThrough = dataReviewedThrough.ToProto(),
        Recorded = model.Recorded.ToProto(),
        Etag = model.Recorded?.Etag ?? "",
    };

    public static Coverage DutyCoverage(this ReferenceData reference, DateTime knownAt, string importer, string origin, DateOnly lastDay) =>
        Coverage.ForDuty(reference.CoverageModel(knownAt), reference.ReviewedThrough(knownAt), importer, origin, lastDay);

    public static Coverage ExportCoverage(this ReferenceData reference, DateTime knownAt, string exporter, string destination, DateOnly lastDay) =>
        Coverage.ForExport(reference.CoverageModel(knownAt), reference.ReviewedThrough(knownAt), exporter, destination, lastDay);

    public static Coverage TruceCoverage(this ReferenceData reference, DateTime knownAt, string partyA, string partyB, DateOnly asOf) =>
        Coverage.ForTruce(reference.CoverageModel(knownAt), reference.ReviewedThrough(knownAt), partyA, partyB, asOf);

    /// <summary>A calendar between two jurisdictions: what the data covers for them in both directions, of every kind.</summary>
    public static Coverage PairCoverage(this ReferenceData reference, DateTime knownAt, string? jurisdiction, string? counterpart, DateOnly lastDay)
    {
        var model = reference.CoverageModel(knownAt);
        var reviewed = reference.ReviewedThrough(knownAt);
        if (jurisdiction is null || counterpart is null) return Coverage.ForScope(reviewed, lastDay, []);
        Coverage[] parts =
        [
            Coverage.ForDuty(model, reviewed, jurisdiction, counterpart, lastDay), Coverage.ForDuty(model, reviewed, counterpart, jurisdiction, lastDay),
            Coverage.ForExport(model, reviewed, jurisdiction, counterpart, lastDay), Coverage.ForExport(model, reviewed, counterpart, jurisdiction, lastDay),
            Coverage.ForTruce(model, reviewed, jurisdiction, counterpart, lastDay),
        ];
        return Coverage.ForScope(parts.Min(p => p.ReviewedThrough), lastDay, [.. parts.SelectMany(p => p.Uncovered)]);
    }
}

public sealed partial class ProtoReader
{
    /// <summary>A coverage model sent for writing; every bad jurisdiction, repeated part or missing kind is a violation at its path.</summary>
    public D.CoverageModel Read(V1.DataCoverage c, string path)
    {
        var tariffs = c.Tariffs.Select((t, i) =>
        {
            var at = $"{path}.tariffs[{i}]";
            var kinds = t.Kinds.Select((k, j) => Enum<D.TariffKind>((int)k, $"{at}.kinds[{j}]")).Distinct().ToList();
            if (kinds.Count == 0) validation.Fail($"{at}.kinds", "is required: the kinds of duty held for this importer");
            return new D.TariffCoverage(validation.Jurisdiction($"{at}.importer", t.Importer), Jurisdictions(t.Origins, $"{at}.origins"),
                t.AllOriginMeasures, kinds, Date(t.ReviewedThrough, $"{at}.reviewed_through"), t.Note.Trim());
        }).ToList();
        var exports = c.ExportControls.Select((e, i) =>
        {
            var at = $"{path}.export_controls[{i}]";
            return new D.ExportCoverage(validation.Jurisdiction($"{at}.exporter", e.Exporter), Jurisdictions(e.Destinations, $"{at}.destinations"),
                e.AllDestinationControls, Date(e.ReviewedThrough, $"{at}.reviewed_through"), e.Note.Trim());
        }).ToList();
        var truces = c.Truces.Select((t, i) =>
        {
            var at = $"{path}.truces[{i}]";
            var (a, b) = (validation.Jurisdiction($"{at}.party_a", t.PartyA), validation.Jurisdiction($"{at}.party_b", t.PartyB));
            if (a == b && a.Length > 0) validation.Fail($"{at}.party_b", "must differ from party_a");
            return new D.TruceCoverage(a, b, Date(t.ReviewedThrough, $"{at}.reviewed_through"), t.Note.Trim());
        }).ToList();

        // One part per importer, exporter and pair: an answer must not depend on which of two parts it happened to read.
        Unique(tariffs.Select(t => t.Importer), $"{path}.tariffs", "importer");
        Unique(exports.Select(e => e.Exporter), $"{path}.export_controls", "exporter");
        Unique(truces.Select(PairKey), $"{path}.truces", "party_b");
        return new D.CoverageModel(tariffs, exports, truces);
    }

    /// <summary>The pair in either order; "" when a party is missing, which is reported as missing, never as a repeat (as a missing importer or exporter is).</summary>
    private static string PairKey(D.TruceCoverage t)
    {
        if (t.PartyA.Length == 0 || t.PartyB.Length == 0) return "";
        // Stryker disable once Equality,String : either order of the parties is a canonical key, and two-letter codes need no separator
        return string.CompareOrdinal(t.PartyA, t.PartyB) < 0 ? t.PartyA + "-" + t.PartyB : t.PartyB + "-" + t.PartyA;
    }

    private List<string> Jurisdictions(IEnumerable<string> values, string field) =>
        [.. values.Select((o, j) => validation.Jurisdiction($"{field}[{j}]", o)).Distinct(StringComparer.Ordinal)];

    private void Unique(IEnumerable<string> keys, string path, string field)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            if (key.Length > 0 && !seen.Add(key)) validation.Fail($"{path}[{i}].{field}", "repeats an earlier part: one part per jurisdiction (pair of parties)");
        }
    }
}
