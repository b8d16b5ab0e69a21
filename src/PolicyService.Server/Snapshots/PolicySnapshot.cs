using PolicyService.Server.Domain;

namespace PolicyService.Server.Snapshots;

/// <summary>
/// Current knowledge as of one change-log position: the current version of every record, indexed for the three lookups
/// (duty: importer × origin or all × scope prefix; export: exporter × scope prefix or item name; truce: party). Immutable:
/// <see cref="With"/> makes the next snapshot, sharing every index entry a change does not touch, so readers never lock.
/// The candidates it returns are exactly those the database's lookup statements return, in the same order.
/// </summary>
public sealed class PolicySnapshot
{
    private readonly LayeredMap<string, TariffMeasure> _measures;
    private readonly LayeredMap<DutyLane, TariffMeasure[]> _dutyLanes;
    private readonly LayeredMap<string, TariffMeasure[]> _measuresByTerm;
    private readonly LayeredMap<string, ExportControl> _controls;
    private readonly LayeredMap<ExportLane, ExportControl[]> _exportScopes;
    private readonly LayeredMap<(string Exporter, string Name), ExportControl[]> _exportItems;
    private readonly LayeredMap<string, ExportControl[]> _controlsByTerm;
    private readonly LayeredMap<string, Truce> _truces;
    private readonly LayeredMap<string, Truce[]> _trucesByParty;

    private PolicySnapshot(long position, LayeredMap<string, TariffMeasure> measures, LayeredMap<DutyLane, TariffMeasure[]> dutyLanes,
        LayeredMap<string, TariffMeasure[]> measuresByTerm, LayeredMap<string, ExportControl> controls,
        LayeredMap<ExportLane, ExportControl[]> exportScopes, LayeredMap<(string Exporter, string Name), ExportControl[]> exportItems,
        LayeredMap<string, ExportControl[]> controlsByTerm, LayeredMap<string, Truce> truces, LayeredMap<string, Truce[]> trucesByParty)
    {
        Position = position;
        _measures = measures;
        _dutyLanes = dutyLanes;
        _measuresByTerm = measuresByTerm;
        _controls = controls;
        _exportScopes = exportScopes;
        _exportItems = exportItems;
        _controlsByTerm = controlsByTerm;
        _truces = truces;
        _trucesByParty = trucesByParty;
    }

    /// <summary>The sequence number of the last change this snapshot reflects.</summary>
    public long Position { get; }

    /// <summary>Tariff measures held, counting a measure changed since the last compaction twice: an upper bound, enough to size compaction.</summary>
    public int TariffMeasureBound => _measures.BaseCount + _measures.OverlayCount;

    /// <summary>Index entries changed since the last compaction: when large, <see cref="Compacted"/> is due.</summary>
    public int OverlayCount => _measures.OverlayCount + _dutyLanes.OverlayCount + _controls.OverlayCount + _exportScopes.OverlayCount
        + _exportItems.OverlayCount + _truces.OverlayCount + _trucesByParty.OverlayCount + _measuresByTerm.OverlayCount + _controlsByTerm.OverlayCount;

    public static PolicySnapshot Build(IEnumerable<TariffMeasure> measures, IEnumerable<ExportControl> controls, IEnumerable<Truce> truces, long position)
    {
        var measureList = measures.ToList();
        var controlList = controls.ToList();
        var truceList = truces.ToList();
        return new PolicySnapshot(position,
            ById(measureList), Filed(measureList, DutyLanes), Filed(measureList, Terms),
            ById(controlList), Filed(controlList, ExportScopes), Filed(controlList, ExportItems), Filed(controlList, Terms),
            ById(truceList), Filed(truceList, t => t.Parties));
    }

    /// <summary>The next snapshot: these current versions replace the ones held (or are added), and the position moves on.</summary>
    public PolicySnapshot With(IEnumerable<IPolicyRecord> current, long position)
    {
        var measures = new Edit<string, TariffMeasure>(_measures);
        var dutyLanes = new IndexEdit<DutyLane, TariffMeasure>(_dutyLanes, DutyLanes);
        var measuresByTerm = new IndexEdit<string, TariffMeasure>(_measuresByTerm, Terms);
        var controls = new Edit<string, ExportControl>(_controls);
        var exportScopes = new IndexEdit<ExportLane, ExportControl>(_exportScopes, ExportScopes);
        var exportItems = new IndexEdit<(string, string), ExportControl>(_exportItems, ExportItems);
        var controlsByTerm = new IndexEdit<string, ExportControl>(_controlsByTerm, Terms);
        var truces = new Edit<string, Truce>(_truces);
        var trucesByParty = new IndexEdit<string, Truce>(_trucesByParty, t => t.Parties);
        foreach (var record in current)
        {
            switch (record)
            {
                case TariffMeasure m:
                    var oldMeasure = measures.Replace(m.Id, m);
                    dutyLanes.Replace(oldMeasure, m);
                    measuresByTerm.Replace(oldMeasure, m);
                    break;
                case ExportControl c:
                    var oldControl = controls.Replace(c.Id, c);
                    exportScopes.Replace(oldControl, c);
                    exportItems.Replace(oldControl, c);
                    controlsByTerm.Replace(oldControl, c);
                    break;
                case Truce t:
                    trucesByParty.Replace(truces.Replace(t.Id, t), t);
                    break;
            }
        }
        return new PolicySnapshot(position, measures.Result(), dutyLanes.Result(), measuresByTerm.Result(), controls.Result(),
            exportScopes.Result(), exportItems.Result(), controlsByTerm.Result(), truces.Result(), trucesByParty.Result());
    }

    /// <summary>The same snapshot with every overlay folded into its base: O(size), run by the refresher in the background.</summary>
    public PolicySnapshot Compacted() => new(Position, _measures.Compacted(), _dutyLanes.Compacted(), _measuresByTerm.Compacted(),
        _controls.Compacted(), _exportScopes.Compacted(), _exportItems.Compacted(), _controlsByTerm.Compacted(), _truces.Compacted(),
        _trucesByParty.Compacted());

    public TariffMeasure? TariffMeasure(string id) => _measures[id];

    public ExportControl? ExportControl(string id) => _controls[id];

    public Truce? Truce(string id) => _truces[id];

    /// <summary>The measures of the importer, for this origin or all origins, whose scope keys are a prefix of the code.</summary>
    public IReadOnlyList<TariffMeasure> TariffCandidates(string importer, string origin, string hsCode)
    {
        Span<ScopeKey> keys = stackalloc ScopeKey[ScopeKey.MaxPrefixes];
        var count = ScopeKey.PrefixesOf(hsCode, keys);
        var found = new List<TariffMeasure>();
        foreach (var key in keys[..count])
        {
            found.AddRange(_dutyLanes[new DutyLane(importer, origin, key)] ?? []);
            found.AddRange(_dutyLanes[new DutyLane(importer, "", key)] ?? []);
        }
        return SortedDistinct(found);
    }

    /// <summary>The exporter's controls whose scope keys are a prefix of the item's code or that name the item, for the destination.</summary>
    public IReadOnlyList<ExportControl> ExportCandidates(string exporter, string destination, ExportItem item)
    {
        var found = new List<ExportControl>();
        if (item.HsCode is { } code)
        {
            Span<ScopeKey> keys = stackalloc ScopeKey[ScopeKey.MaxPrefixes];
            var count = ScopeKey.PrefixesOf(code, keys);
            foreach (var key in keys[..count]) found.AddRange(_exportScopes[new ExportLane(exporter, key)] ?? []);
        }
        if (item.Name is { } name) found.AddRange(_exportItems[(exporter, name)] ?? []);
        found.RemoveAll(c => !c.AllDestinations && !c.Destinations.Contains(destination));
        return SortedDistinct(found);
    }

    /// <summary>The truces between the two parties, each with the measures and controls its terms created.</summary>
    public IReadOnlyList<TruceBundle> Truces(string partyA, string partyB) =>
        [.. (_trucesByParty[partyA] ?? []).Where(t => t.Parties.Contains(partyB)).Select(t => new TruceBundle(t,
            SortedDistinct([.. t.Terms.SelectMany(term => _measuresByTerm[term.Id] ?? [])]),
            SortedDistinct([.. t.Terms.SelectMany(term => _controlsByTerm[term.Id] ?? [])])))];

    // ---- Keys ----------------------------------------------------------------------------------

    private static IEnumerable<DutyLane> DutyLanes(TariffMeasure m)
    {
        // As the store files them: one lane per listed origin, and '' when the measure applies to all origins.
        var origins = (m.AllOrigins ? [""] : Enumerable.Empty<string>()).Concat(m.Origins).Distinct(StringComparer.Ordinal);
        return origins.SelectMany(o => ScopeKey.Of(m.Scope).Select(k => new DutyLane(m.Importer, o, k)));
    }

    private static IEnumerable<ExportLane> ExportScopes(ExportControl c) => ScopeKey.Of(c.Scope).Select(k => new ExportLane(c.Exporter, k));

    private static IEnumerable<(string, string)> ExportItems(ExportControl c) => c.Items.Select(i => (c.Exporter, i.Name));

    private static IEnumerable<string> Terms(TariffMeasure m) => m.Periods.Select(p => p.TruceTermId).OfType<string>();

    private static IEnumerable<string> Terms(ExportControl c) => c.Periods.Select(p => p.TruceTermId).OfType<string>();

    private readonly record struct DutyLane(string Importer, string Origin, ScopeKey Scope);

    private readonly record struct ExportLane(string Exporter, ScopeKey Scope);

    // ---- Building and editing ------------------------------------------------------------------

    private static List<T> SortedDistinct<T>(List<T> records) where T : class, IPolicyRecord
    {
        if (records.Count < 2) return records;
        records.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var kept = 1;
        for (var i = 1; i < records.Count; i++)
        {
            if (!ReferenceEquals(records[i], records[kept - 1])) records[kept++] = records[i];
        }
        records.RemoveRange(kept, records.Count - kept);
        return records;
    }

    private static LayeredMap<string, T> ById<T>(List<T> records) where T : class, IPolicyRecord =>
        new LayeredMap<string, T>(records.ToDictionary(r => r.Id, StringComparer.Ordinal));

    private static LayeredMap<TKey, T[]> Filed<TKey, T>(List<T> records, Func<T, IEnumerable<TKey>> keys) where TKey : notnull where T : class, IPolicyRecord
    {
        var lanes = new Dictionary<TKey, List<T>>();
        foreach (var record in records)
        {
            foreach (var key in keys(record).Distinct())
            {
                if (!lanes.TryGetValue(key, out var lane)) lanes[key] = lane = [];
                lane.Add(record);
            }
        }
        return new LayeredMap<TKey, T[]>(lanes.ToDictionary(l => l.Key, l => l.Value.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray()));
    }

    /// <summary>Pending replacements of a by-id map.</summary>
    private sealed class Edit<TKey, T>(LayeredMap<TKey, T> map) where TKey : notnull where T : class
    {
        private readonly Dictionary<TKey, T?> _changed = [];

        /// <summary>Sets the key's record; returns the one it replaces.</summary>
        public T? Replace(TKey key, T record)
        {
            var old = _changed.TryGetValue(key, out var pending) ? pending : map[key];
            _changed[key] = record;
            return old;
        }

        public LayeredMap<TKey, T> Result() => _changed.Count == 0 ? map : map.With(_changed);
    }

    /// <summary>Pending changes of an index: only the lanes the old and new versions are filed under are copied.</summary>
    private sealed class IndexEdit<TKey, T>(LayeredMap<TKey, T[]> index, Func<T, IEnumerable<TKey>> keys) where TKey : notnull where T : class, IPolicyRecord
    {
        private readonly Dictionary<TKey, List<T>> _lanes = [];

        public void Replace(T? old, T current)
        {
            if (old is not null)
            {
                foreach (var key in keys(old).Distinct()) Lane(key).RemoveAll(r => r.Id == old.Id);
            }
            foreach (var key in keys(current).Distinct())
            {
                var lane = Lane(key);
                var at = lane.FindIndex(r => string.CompareOrdinal(r.Id, current.Id) > 0);
                lane.Insert(at < 0 ? lane.Count : at, current);
            }
        }

        private List<T> Lane(TKey key)
        {
            if (!_lanes.TryGetValue(key, out var lane)) _lanes[key] = lane = [.. index[key] ?? []];
            return lane;
        }

        public LayeredMap<TKey, T[]> Result() => _lanes.Count == 0 ? index
            : index.With(_lanes.Select(l => KeyValuePair.Create(l.Key, l.Value.Count == 0 ? null : l.Value.ToArray())));
    }
}
