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
    private readonly RecordTable<TariffMeasure> _measures;
    private readonly LaneIndex<ulong, TariffMeasure> _dutyLanes;
    private readonly LaneIndex<string, TariffMeasure> _measuresByTerm;
    private readonly RecordTable<ExportControl> _controls;
    private readonly LaneIndex<ulong, ExportControl> _exportScopes;
    private readonly LaneIndex<(string Exporter, string Name), ExportControl> _exportItems;
    private readonly LaneIndex<string, ExportControl> _controlsByTerm;
    private readonly LayeredMap<string, Truce> _truces;
    private readonly LayeredMap<string, Truce[]> _trucesByParty;

    private PolicySnapshot(long position, RecordTable<TariffMeasure> measures, LaneIndex<ulong, TariffMeasure> dutyLanes,
        LaneIndex<string, TariffMeasure> measuresByTerm, RecordTable<ExportControl> controls,
        LaneIndex<ulong, ExportControl> exportScopes, LaneIndex<(string Exporter, string Name), ExportControl> exportItems,
        LaneIndex<string, ExportControl> controlsByTerm, LayeredMap<string, Truce> truces, LayeredMap<string, Truce[]> trucesByParty)
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
    public int TariffMeasureBound => _measures.Base.Count + _measures.OverlayCount;

    /// <summary>Index entries changed since the last compaction: when large, <see cref="Compacted"/> is due.</summary>
    public int OverlayCount => _measures.OverlayCount + _dutyLanes.OverlayCount + _controls.OverlayCount + _exportScopes.OverlayCount
        + _exportItems.OverlayCount + _truces.OverlayCount + _trucesByParty.OverlayCount + _measuresByTerm.OverlayCount + _controlsByTerm.OverlayCount;

    /// <summary>Heap bytes of the compact base (records unless kept in a file, positions, indexes; not the overlay, truces or shared strings).</summary>
    public long BaseBytes => _measures.Base.Storage.HeapBytes + _measures.Base.Bytes + _controls.Base.Bytes + _dutyLanes.Bytes + _measuresByTerm.Bytes + _exportScopes.Bytes
        + _exportItems.Bytes + _controlsByTerm.Bytes;

    public static PolicySnapshot Build(IEnumerable<TariffMeasure> measures, IEnumerable<ExportControl> controls, IEnumerable<Truce> truces, long position)
    {
        var builder = new Builder();
        foreach (var m in measures) builder.Add(m);
        foreach (var c in controls) builder.Add(c);
        return builder.Build(truces, position);
    }

    /// <summary>
    /// Takes records one at a time, each encoded at once, so a snapshot of a million measures is built without ever
    /// holding them as objects (the database streams them in id order). With a file, the records go straight to it and
    /// are read back from it one by one, and the indexes follow them, so that the next process on this database can start from it.
    /// </summary>
    public sealed class Builder
    {
        private readonly SnapshotFile.Writer? _file;
        private readonly RecordSink _sink;
        private readonly StringPool _pool = new();
        private readonly EncodedRecords<TariffMeasure>.Builder _measures;
        private readonly LaneIndex<ulong, TariffMeasure>.Builder _dutyLanes = new(Comparer<ulong>.Default);
        private readonly LaneIndex<string, TariffMeasure>.Builder _measuresByTerm = new(StringComparer.Ordinal);
        private readonly EncodedRecords<ExportControl>.Builder _controls;
        private readonly LaneIndex<ulong, ExportControl>.Builder _exportScopes = new(Comparer<ulong>.Default);
        private readonly LaneIndex<(string, string), ExportControl>.Builder _exportItems = new(ItemOrder);
        private readonly LaneIndex<string, ExportControl>.Builder _controlsByTerm = new(StringComparer.Ordinal);

        public Builder(SnapshotFile.Writer? file = null)
        {
            _file = file;
            _sink = file?.Records ?? new PagedRecordSink();
            var writer = new RecordWriter(_pool);
            _measures = new(writer, _sink, RecordCodec.Write, RecordCodec.ReadMeasure);
            _controls = new(writer, _sink, RecordCodec.Write, RecordCodec.ReadControl);
        }

        /// <summary>Measures added (counted before <see cref="Build"/>, which hands them over).</summary>
        public int Measures { get; private set; }

        public int Controls { get; private set; }

        public void Add(TariffMeasure m)
        {
            var at = _measures.Add(m);
            Measures++;
            foreach (var lane in DutyLanes(m)) _dutyLanes.File(lane, at);
            foreach (var term in Terms(m)) _measuresByTerm.File(term, at);
        }

        public void Add(ExportControl c)
        {
            var at = _controls.Add(c);
            Controls++;
            foreach (var lane in ExportScopes(c)) _exportScopes.File(lane, at);
            foreach (var item in ExportItems(c)) _exportItems.File(item, at);
            foreach (var term in Terms(c)) _controlsByTerm.File(term, at);
        }

        /// <summary>The snapshot; with a file, also commits the file (the caller disposes the writer).</summary>
        public PolicySnapshot Build(IEnumerable<Truce> truces, long position)
        {
            var bytes = _sink.Complete();
            var (measures, movedMeasures) = _measures.Build(bytes);
            var (controls, movedControls) = _controls.Build(bytes);
            var snapshot = new PolicySnapshot(position,
                new RecordTable<TariffMeasure>(measures), _dutyLanes.Build(measures, movedMeasures), _measuresByTerm.Build(measures, movedMeasures),
                new RecordTable<ExportControl>(controls), _exportScopes.Build(controls, movedControls), _exportItems.Build(controls, movedControls),
                _controlsByTerm.Build(controls, movedControls), Truces(truces), TrucesByParty(truces));
            if (_file is not null)
            {
                snapshot.WriteBase(_file, _pool);
                _file.Commit();
            }
            return snapshot;
        }
    }

    /// <summary>A snapshot from a file written by <see cref="Builder"/>, at the file's position; the truces (few) come from the database.</summary>
    public static PolicySnapshot Read(SnapshotFile.Reader file, IEnumerable<Truce> truces)
    {
        var pool = StringPool.Of(ReadStrings(file));
        var measures = new EncodedRecords<TariffMeasure>(pool, file.Records, file.Numbers<int>(), RecordCodec.ReadMeasure);
        var controls = new EncodedRecords<ExportControl>(pool, file.Records, file.Numbers<int>(), RecordCodec.ReadControl);
        var dutyLanes = new LaneIndex<ulong, TariffMeasure>(file, measures, f => f.Numbers<ulong>(), Comparer<ulong>.Default);
        var measuresByTerm = new LaneIndex<string, TariffMeasure>(file, measures, ReadStrings, StringComparer.Ordinal);
        var exportScopes = new LaneIndex<ulong, ExportControl>(file, controls, f => f.Numbers<ulong>(), Comparer<ulong>.Default);
        var exportItems = new LaneIndex<(string, string), ExportControl>(file, controls, ReadPairs, ItemOrder);
        var controlsByTerm = new LaneIndex<string, ExportControl>(file, controls, ReadStrings, StringComparer.Ordinal);
        return new PolicySnapshot(file.Stamp.Position, new RecordTable<TariffMeasure>(measures), dutyLanes, measuresByTerm,
            new RecordTable<ExportControl>(controls), exportScopes, exportItems, controlsByTerm, Truces(truces), TrucesByParty(truces));
    }

    private void WriteBase(SnapshotFile.Writer file, StringPool pool)
    {
        WriteStrings(file, pool.Strings);
        file.Numbers(_measures.Base.Locations);
        file.Numbers(_controls.Base.Locations);
        _dutyLanes.Write(file, (f, keys) => f.Numbers<ulong>(keys));
        _measuresByTerm.Write(file, WriteStrings);
        _exportScopes.Write(file, (f, keys) => f.Numbers<ulong>(keys));
        _exportItems.Write(file, WritePairs);
        _controlsByTerm.Write(file, WriteStrings);
    }

    private static void WriteStrings(SnapshotFile.Writer file, IReadOnlyList<string> keys)
    {
        file.Section.Write(keys.Count);
        foreach (var k in keys) file.Section.Write(k);
    }

    private static string[] ReadStrings(SnapshotFile.Reader file)
    {
        var keys = new string[file.Section.ReadInt32()];
        for (var i = 0; i < keys.Length; i++) keys[i] = file.Section.ReadString();
        return keys;
    }

    private static void WritePairs(SnapshotFile.Writer file, (string, string)[] keys)
    {
        file.Section.Write(keys.Length);
        foreach (var (a, b) in keys)
        {
            file.Section.Write(a);
            file.Section.Write(b);
        }
    }

    private static (string, string)[] ReadPairs(SnapshotFile.Reader file)
    {
        var keys = new (string, string)[file.Section.ReadInt32()];
        for (var i = 0; i < keys.Length; i++) keys[i] = (file.Section.ReadString(), file.Section.ReadString());
        return keys;
    }

    private static LayeredMap<string, Truce> Truces(IEnumerable<Truce> truces) =>
        new(truces.ToDictionary(t => t.Id, StringComparer.Ordinal));

    private static LayeredMap<string, Truce[]> TrucesByParty(IEnumerable<Truce> truces) => Filed([.. truces], t => t.Parties);

    /// <summary>The next snapshot: these current versions replace the ones held (or are added), and the position moves on.</summary>
    public PolicySnapshot With(IEnumerable<IPolicyRecord> current, long position)
    {
        var measures = new Edit<TariffMeasure>(_measures);
        var dutyLanes = new IndexEdit<ulong, TariffMeasure>(_dutyLanes, DutyLanes);
        var measuresByTerm = new IndexEdit<string, TariffMeasure>(_measuresByTerm, Terms);
        var controls = new Edit<ExportControl>(_controls);
        var exportScopes = new IndexEdit<ulong, ExportControl>(_exportScopes, ExportScopes);
        var exportItems = new IndexEdit<(string, string), ExportControl>(_exportItems, ExportItems);
        var controlsByTerm = new IndexEdit<string, ExportControl>(_controlsByTerm, Terms);
        var truces = new TruceEdit(_truces);
        var trucesByParty = new PartyEdit(_trucesByParty);
        foreach (var record in current)
        {
            switch (record)
            {
                case TariffMeasure m:
                    var oldMeasure = measures.Replace(m);
                    dutyLanes.Replace(oldMeasure, m);
                    measuresByTerm.Replace(oldMeasure, m);
                    break;
                case ExportControl c:
                    var oldControl = controls.Replace(c);
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

    /// <summary>The same snapshot with every overlay folded into a new base (written to the file, if given): O(size), run by the refresher in the background.</summary>
    public PolicySnapshot Compacted(SnapshotFile.Writer? file = null)
    {
        var builder = new Builder(file);
        foreach (var m in _measures.All()) builder.Add(m);
        foreach (var c in _controls.All()) builder.Add(c);
        var compacted = builder.Build([], Position);
        return new PolicySnapshot(Position, compacted._measures, compacted._dutyLanes, compacted._measuresByTerm, compacted._controls,
            compacted._exportScopes, compacted._exportItems, compacted._controlsByTerm, _truces.Compacted(), _trucesByParty.Compacted());
    }

    public TariffMeasure? TariffMeasure(string id) => _measures[id];

    public ExportControl? ExportControl(string id) => _controls[id];

    public Truce? Truce(string id) => _truces[id];

    /// <summary>
    /// The measures of the importer, for this origin or all origins, whose scope keys are a prefix of the code or a longer
    /// prefix that starts with it. An exclusion under the code needs no index of its own: it only matters under a scope
    /// prefix that is one of these.
    /// </summary>
    public IReadOnlyList<TariffMeasure> TariffCandidates(string importer, string origin, string hsCode)
    {
        Span<ScopeKey> keys = stackalloc ScopeKey[ScopeKey.MaxPrefixes];
        var count = ScopeKey.PrefixesOf(hsCode, keys);
        var found = new List<TariffMeasure>();
        foreach (var key in keys[..count])
        {
            if (LaneKey.TryPack(importer, origin, key, out var lane)) _dutyLanes.AddTo(lane, found);
            if (LaneKey.TryPack(importer, "", key, out var all)) _dutyLanes.AddTo(all, found);
        }
        // A code shorter than the data distinguishes also finds the measures filed under longer prefixes that start with it.
        AddLanesUnder(_dutyLanes, importer, origin, hsCode, found);
        AddLanesUnder(_dutyLanes, importer, "", hsCode, found);
        return SortedDistinct(found);
    }

    /// <summary>Adds the records of the lanes (first, second) whose scope key is a prefix longer than the code that starts with it.</summary>
    private static void AddLanesUnder<T>(LaneIndex<ulong, T> index, string first, string second, string code, List<T> found) where T : class, IPolicyRecord
    {
        if (!HsDescendants.CanHaveAny(code)) return;
        Span<(ScopeKey First, ScopeKey Last)> ranges = stackalloc (ScopeKey, ScopeKey)[ScopeKey.MaxRangesUnder];
        var count = ScopeKey.RangesUnder(code, ranges);
        foreach (var (low, high) in ranges[..count])
        {
            if (LaneKey.TryPack(first, second, low, out var from) && LaneKey.TryPack(first, second, high, out var through)) index.AddRange(from, through, found);
        }
    }

    /// <summary>The exporter's controls whose scope keys are a prefix of the item's code or start with it, or that name the item, for the destination.</summary>
    public IReadOnlyList<ExportControl> ExportCandidates(string exporter, string destination, ExportItem item)
    {
        var found = new List<ExportControl>();
        if (item.HsCode is { } code)
        {
            Span<ScopeKey> keys = stackalloc ScopeKey[ScopeKey.MaxPrefixes];
            var count = ScopeKey.PrefixesOf(code, keys);
            foreach (var key in keys[..count])
            {
                if (LaneKey.TryPack(exporter, "", key, out var lane)) _exportScopes.AddTo(lane, found);
            }
            AddLanesUnder(_exportScopes, exporter, "", code, found);
        }
        if (item.Name is { } name) _exportItems.AddTo((exporter, name), found);
        found.RemoveAll(c => !c.AllDestinations && !c.Destinations.Contains(destination));
        return SortedDistinct(found);
    }

    /// <summary>The truces between the two parties, each with the measures and controls its terms created.</summary>
    public IReadOnlyList<TruceBundle> Truces(string partyA, string partyB) =>
        [.. (_trucesByParty[partyA] ?? []).Where(t => t.Parties.Contains(partyB)).Select(t => new TruceBundle(t,
            SortedDistinct([.. t.Terms.SelectMany(term => _measuresByTerm.Lane(term.Id))]),
            SortedDistinct([.. t.Terms.SelectMany(term => _controlsByTerm.Lane(term.Id))])))];

    // ---- Keys ----------------------------------------------------------------------------------

    private static IEnumerable<ulong> DutyLanes(TariffMeasure m)
    {
        // As the store files them: one lane per listed origin, and '' when the measure applies to all origins.
        var origins = (m.AllOrigins ? [""] : Enumerable.Empty<string>()).Concat(m.Origins).Distinct(StringComparer.Ordinal);
        return origins.SelectMany(o => ScopeKey.Of(m.Scope).Select(k => LaneKey.Pack(m.Importer, o, k))).Distinct();
    }

    private static IEnumerable<ulong> ExportScopes(ExportControl c) => ScopeKey.Of(c.Scope).Select(k => LaneKey.Pack(c.Exporter, "", k)).Distinct();

    private static IEnumerable<(string, string)> ExportItems(ExportControl c) => c.Items.Select(i => (c.Exporter, i.Name)).Distinct();

    private static IEnumerable<string> Terms(TariffMeasure m) => m.Periods.Select(p => p.TruceTermId).OfType<string>().Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> Terms(ExportControl c) => c.Periods.Select(p => p.TruceTermId).OfType<string>().Distinct(StringComparer.Ordinal);

    private static readonly IComparer<(string Exporter, string Name)> ItemOrder = Comparer<(string Exporter, string Name)>.Create((a, b) =>
        string.CompareOrdinal(a.Exporter, b.Exporter) is var order and not 0 ? order : string.CompareOrdinal(a.Name, b.Name));

    // ---- Building and editing ------------------------------------------------------------------

    private static List<T> SortedDistinct<T>(List<T> records) where T : class, IPolicyRecord
    {
        if (records.Count < 2) return records;
        records.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var kept = 1;
        for (var i = 1; i < records.Count; i++)
        {
            // By id, not by reference: a record filed under two lanes may be decoded twice. A snapshot holds one version per id.
            if (records[i].Id != records[kept - 1].Id) records[kept++] = records[i];
        }
        records.RemoveRange(kept, records.Count - kept);
        return records;
    }

    private static LayeredMap<string, Truce[]> Filed(List<Truce> truces, Func<Truce, IEnumerable<string>> keys)
    {
        var lanes = new Dictionary<string, List<Truce>>(StringComparer.Ordinal);
        foreach (var truce in truces)
        {
            foreach (var key in keys(truce).Distinct())
            {
                if (!lanes.TryGetValue(key, out var lane)) lanes[key] = lane = [];
                lane.Add(truce);
            }
        }
        return new LayeredMap<string, Truce[]>(lanes.ToDictionary(l => l.Key, l => l.Value.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray(),
            StringComparer.Ordinal));
    }

    /// <summary>Pending replacements of a record table.</summary>
    private sealed class Edit<T>(RecordTable<T> table) where T : class, IPolicyRecord
    {
        private readonly Dictionary<string, T> _changed = new(StringComparer.Ordinal);

        /// <summary>Sets the record; returns the version it replaces.</summary>
        public T? Replace(T record)
        {
            var old = _changed.TryGetValue(record.Id, out var pending) ? pending : table[record.Id];
            _changed[record.Id] = record;
            return old;
        }

        public RecordTable<T> Result() => _changed.Count == 0 ? table : table.With(_changed.Values);
    }

    /// <summary>Pending changes of an index: only the lanes the old and new versions are filed under are copied.</summary>
    private sealed class IndexEdit<TKey, T>(LaneIndex<TKey, T> index, Func<T, IEnumerable<TKey>> keys) where TKey : notnull where T : class, IPolicyRecord
    {
        private readonly Dictionary<TKey, List<T>> _lanes = [];

        public void Replace(T? old, T current)
        {
            if (old is not null)
            {
                foreach (var key in keys(old)) Lane(key).RemoveAll(r => r.Id == old.Id);
            }
            foreach (var key in keys(current))
            {
                var lane = Lane(key);
                var at = lane.FindIndex(r => string.CompareOrdinal(r.Id, current.Id) > 0);
                lane.Insert(at < 0 ? lane.Count : at, current);
            }
        }

        private List<T> Lane(TKey key)
        {
            if (!_lanes.TryGetValue(key, out var lane)) _lanes[key] = lane = index.Lane(key);
            return lane;
        }

        public LaneIndex<TKey, T> Result() => _lanes.Count == 0 ? index
            : index.With(_lanes.Select(l => KeyValuePair.Create(l.Key, l.Value.Count == 0 ? null : l.Value.ToArray())));
    }

    /// <summary>Pending replacements of the truces by id (few: held whole).</summary>
    private sealed class TruceEdit(LayeredMap<string, Truce> map)
    {
        private readonly Dictionary<string, Truce?> _changed = new(StringComparer.Ordinal);

        public Truce? Replace(string id, Truce truce)
        {
            var old = _changed.TryGetValue(id, out var pending) ? pending : map[id];
            _changed[id] = truce;
            return old;
        }

        public LayeredMap<string, Truce> Result() => _changed.Count == 0 ? map : map.With(_changed);
    }

    /// <summary>Pending changes of the truces by party.</summary>
    private sealed class PartyEdit(LayeredMap<string, Truce[]> index)
    {
        private readonly Dictionary<string, List<Truce>> _lanes = new(StringComparer.Ordinal);

        public void Replace(Truce? old, Truce current)
        {
            if (old is not null)
            {
                foreach (var party in old.Parties.Distinct()) Lane(party).RemoveAll(t => t.Id == old.Id);
            }
            foreach (var party in current.Parties.Distinct())
            {
                var lane = Lane(party);
                var at = lane.FindIndex(t => string.CompareOrdinal(t.Id, current.Id) > 0);
                lane.Insert(at < 0 ? lane.Count : at, current);
            }
        }

        private List<Truce> Lane(string party)
        {
            if (!_lanes.TryGetValue(party, out var lane)) _lanes[party] = lane = [.. index[party] ?? []];
            return lane;
        }

        public LayeredMap<string, Truce[]> Result() => _lanes.Count == 0 ? index
            : index.With(_lanes.Select(l => KeyValuePair.Create(l.Key, l.Value.Count == 0 ? null : l.Value.ToArray())));
    }
}
