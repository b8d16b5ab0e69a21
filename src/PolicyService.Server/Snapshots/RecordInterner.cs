using PolicyService.Server.Domain;

namespace PolicyService.Server.Snapshots;

/// <summary>
/// Shares equal values between the records of a snapshot: strings such as importers, instruments and notes, lists such
/// as origins and source ids, and the record info of a whole import, which the database returns as separate copies.
/// </summary>
public sealed class RecordInterner
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<RecordInfo, RecordInfo> _infos = [];

    public TariffMeasure Measure(TariffMeasure m) => m with
    {
        Importer = S(m.Importer),
        Origins = L(m.Origins),
        Title = S(m.Title),
        Scope = Scope(m.Scope),
        LegalInstrument = S(m.LegalInstrument),
        Notes = S(m.Notes),
        SourceIds = L(m.SourceIds),
        Periods = [.. m.Periods.Select(p => p with
        {
            RateDescription = S(p.RateDescription), LegalInstrument = S(p.LegalInstrument), TruceTermId = N(p.TruceTermId), Note = S(p.Note),
        })],
        ExcludedBy = m.ExcludedBy.Count == 0 ? [] : [.. m.ExcludedBy.Select(x => new StackingExclusion(S(x.MeasureId), S(x.Reason)))],
        Recorded = Info(m.Recorded),
    };

    public ExportControl Control(ExportControl c) => c with
    {
        Exporter = S(c.Exporter),
        Destinations = L(c.Destinations),
        Title = S(c.Title),
        Scope = Scope(c.Scope),
        Rules = L(c.Rules),
        LegalInstrument = S(c.LegalInstrument),
        Notes = S(c.Notes),
        SourceIds = L(c.SourceIds),
        Periods = [.. c.Periods.Select(p => p with { LegalInstrument = S(p.LegalInstrument), TruceTermId = N(p.TruceTermId), Note = S(p.Note) })],
        Recorded = Info(c.Recorded),
    };

    private ProductScope Scope(ProductScope s) => s with
    {
        HsPrefixes = L(s.HsPrefixes), ExcludedHsPrefixes = L(s.ExcludedHsPrefixes), Description = S(s.Description), MappingNote = S(s.MappingNote),
    };

    private RecordInfo? Info(RecordInfo? info)
    {
        if (info is null) return null;
        if (_infos.TryGetValue(info, out var shared)) return shared;
        return _infos[info] = info with { RecordedBy = S(info.RecordedBy), Reason = S(info.Reason) };
    }

    private string S(string value)
    {
        if (_strings.TryGetValue(value, out var shared)) return shared;
        return _strings[value] = value;
    }

    private string? N(string? value) => value is null ? null : S(value);

    private string[] L(IReadOnlyList<string> values)
    {
        if (values.Count == 0) return [];
        var key = string.Join('\u001f', values);
        if (_lists.TryGetValue(key, out var shared)) return shared;
        return _lists[key] = [.. values.Select(S)];
    }
}
