using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Snapshots;

/// <summary>
/// The compact form a snapshot holds its tariff measures and export controls in: varint numbers, dates as day numbers,
/// HS prefixes as numbers, the strings records share (jurisdictions, notes, source ids, …) as indexes into one
/// <see cref="StringPool"/>, and a record's own strings (id, title, period ids) as UTF-8, written once per record.
/// Decoding gives back a record equal to the one encoded, field for field, decimals with their scale.
/// </summary>
public static class RecordCodec
{
    public static void Write(RecordWriter w, TariffMeasure m)
    {
        w.Own(m.Id);
        w.Shared(m.Importer);
        w.SharedList(m.Origins);
        w.Flag(m.AllOrigins);
        w.Own(m.Title);
        w.Byte((int)m.Kind);
        WriteScope(w, m.Scope);
        w.Own(m.LegalInstrument);
        w.Byte((int)m.Confidence);
        w.Shared(m.Notes);
        w.SharedList(m.SourceIds);
        w.Count(m.Periods.Count);
        foreach (var p in m.Periods)
        {
            w.Own(p.RecordId);
            w.Date(p.StartDate);
            w.Date(p.EndDate);
            w.Byte((int)p.Status);
            w.Amount(p.AdValoremPercent);
            w.Shared(p.RateDescription);
            w.Own(p.LegalInstrument);
            w.Amount(p.SuspendedPercent);
            w.Date(p.SuspendedUntil);
            w.Shared(p.TruceTermId);
            w.Shared(p.Note);
            w.Byte((int)p.Confidence);
            w.Byte((int)p.RateBasis);
            w.SharedList(p.Conditions);
        }
        w.Count(m.ExcludedBy.Count);
        foreach (var x in m.ExcludedBy)
        {
            w.Shared(x.MeasureId);
            w.Shared(x.Reason);
            w.Byte((int)x.Effect);
        }
        WriteInfo(w, m.Recorded);
    }

    public static TariffMeasure ReadMeasure(ref RecordReader r)
    {
        var id = r.Own();
        var importer = r.Shared();
        var origins = r.SharedList();
        var allOrigins = r.Flag();
        var title = r.Own();
        var kind = (TariffKind)r.Byte();
        var scope = ReadScope(ref r);
        var instrument = r.Own();
        var confidence = (Confidence)r.Byte();
        var notes = r.Shared();
        var sources = r.SharedList();
        var periods = new TariffPeriod[r.Count()];
        for (var i = 0; i < periods.Length; i++)
        {
            periods[i] = new TariffPeriod(r.Own(), r.Date()!.Value, r.Date(), (PeriodStatus)r.Byte(), r.Amount(), r.Shared(), r.Own(),
                r.Amount(), r.Date(), r.SharedOrNull(), r.Shared(), (Confidence)r.Byte())
            {
                RateBasis = (RateBasis)r.Byte(),
                Conditions = r.SharedList(),
            };
        }
        var excludedBy = r.Count() is var n and > 0 ? new StackingExclusion[n] : [];
        for (var i = 0; i < excludedBy.Length; i++) excludedBy[i] = new StackingExclusion(r.Shared(), r.Shared(), (StackingEffect)r.Byte());
        return new TariffMeasure(id, importer, origins, allOrigins, title, kind, scope, instrument, confidence, notes, sources, periods,
            excludedBy, ReadInfo(ref r));
    }

    public static void Write(RecordWriter w, ExportControl c)
    {
        w.Own(c.Id);
        w.Shared(c.Exporter);
        w.SharedList(c.Destinations);
        w.Flag(c.AllDestinations);
        w.Own(c.Title);
        w.Byte((int)c.ControlType);
        WriteScope(w, c.Scope);
        w.Count(c.Items.Count);
        foreach (var item in c.Items)
        {
            w.Shared(item.Name);
            w.Shared(item.ControlCode);
            w.Count(item.HsCodes.Count);
            foreach (var code in item.HsCodes) w.Prefix(code);
        }
        w.SharedList(c.Rules);
        w.Own(c.LegalInstrument);
        w.Byte((int)c.Confidence);
        w.Shared(c.Notes);
        w.SharedList(c.SourceIds);
        w.Count(c.Periods.Count);
        foreach (var p in c.Periods)
        {
            w.Own(p.RecordId);
            w.Date(p.StartDate);
            w.Date(p.EndDate);
            w.Byte((int)p.Status);
            w.Own(p.LegalInstrument);
            w.Date(p.SuspendedUntil);
            w.Shared(p.TruceTermId);
            w.Shared(p.Note);
            w.Byte((int)p.Confidence);
        }
        WriteInfo(w, c.Recorded);
    }

    public static ExportControl ReadControl(ref RecordReader r)
    {
        var id = r.Own();
        var exporter = r.Shared();
        var destinations = r.SharedList();
        var all = r.Flag();
        var title = r.Own();
        var type = (ExportControlType)r.Byte();
        var scope = ReadScope(ref r);
        var items = r.Count() is var n and > 0 ? new ControlledItem[n] : [];
        for (var i = 0; i < items.Length; i++)
        {
            var name = r.Shared();
            var code = r.Shared();
            var hsCodes = new string[r.Count()];
            for (var k = 0; k < hsCodes.Length; k++) hsCodes[k] = r.Prefix();
            items[i] = new ControlledItem(name, code, hsCodes);
        }
        var rules = r.SharedList();
        var instrument = r.Own();
        var confidence = (Confidence)r.Byte();
        var notes = r.Shared();
        var sources = r.SharedList();
        var periods = new ControlPeriod[r.Count()];
        for (var i = 0; i < periods.Length; i++)
        {
            periods[i] = new ControlPeriod(r.Own(), r.Date()!.Value, r.Date(), (PeriodStatus)r.Byte(), r.Own(), r.Date(), r.SharedOrNull(),
                r.Shared(), (Confidence)r.Byte());
        }
        return new ExportControl(id, exporter, destinations, all, title, type, scope, items, rules, instrument, confidence, notes, sources,
            periods, ReadInfo(ref r));
    }

    /// <summary>The record's id without decoding the rest: it is written first.</summary>
    public static string ReadId(ReadOnlySpan<byte> encoded, StringPool pool)
    {
        var r = new RecordReader(encoded, pool);
        return r.Own();
    }

    private static void WriteScope(RecordWriter w, ProductScope s)
    {
        w.Flag(s.AllProducts);
        w.Count(s.HsPrefixes.Count);
        foreach (var p in s.HsPrefixes) w.Prefix(p);
        w.Count(s.ExcludedHsPrefixes.Count);
        foreach (var p in s.ExcludedHsPrefixes) w.Prefix(p);
        w.Own(s.Description);
        w.Shared(s.MappingNote);
        w.Count(s.DatedExclusions.Count);
        foreach (var x in s.DatedExclusions)
        {
            w.Prefix(x.HsPrefix);
            w.Date(x.StartDate);
            w.Date(x.EndDate);
            w.Own(x.Basis);
        }
    }

    private static ProductScope ReadScope(ref RecordReader r)
    {
        var all = r.Flag();
        var prefixes = new string[r.Count()];
        for (var i = 0; i < prefixes.Length; i++) prefixes[i] = r.Prefix();
        var excluded = r.Count() is var n and > 0 ? new string[n] : [];
        for (var i = 0; i < excluded.Length; i++) excluded[i] = r.Prefix();
        var description = r.Own();
        var mappingNote = r.Shared();
        var dated = r.Count() is var d and > 0 ? new ScopeExclusion[d] : [];
        for (var i = 0; i < dated.Length; i++) dated[i] = new ScopeExclusion(r.Prefix(), r.Date(), r.Date(), r.Own());
        return new ProductScope(all, prefixes, excluded, description, mappingNote, dated);
    }

    private static void WriteInfo(RecordWriter w, RecordInfo? info)
    {
        w.Flag(info is not null);
        if (info is null) return;
        w.Count(info.Version);
        w.Ticks(info.RecordedTime.Ticks);
        w.Byte((int)info.RecordedTime.Kind);
        w.Shared(info.RecordedBy);
        w.Shared(info.Reason);
    }

    private static RecordInfo? ReadInfo(ref RecordReader r) => r.Flag()
        ? new RecordInfo(r.Count(), new DateTime(r.Ticks(), (DateTimeKind)r.Byte()), r.Shared(), r.Shared())
        : null;
}

/// <summary>Strings that many records share, each held once; a record refers to one by its index.</summary>
public sealed class StringPool
{
    private readonly List<string> _strings = [];
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    /// <summary>Past this many strings, new ones are written into each record instead: a bound for data whose "shared" fields are all different.</summary>
    public const int Capacity = 1 << 16;

    public int Count => _strings.Count;

    public string this[int index] => _strings[index];

    public IReadOnlyList<string> Strings => _strings;

    public static StringPool Of(IEnumerable<string> strings)
    {
        var pool = new StringPool();
        foreach (var s in strings) pool.TryAdd(s, out _);
        return pool;
    }

    /// <summary>The string's index, adding it while there is room.</summary>
    public bool TryAdd(string value, out int index)
    {
        if (_indexes.TryGetValue(value, out index)) return true;
        if (_strings.Count >= Capacity) return false;
        index = _strings.Count;
        _strings.Add(value);
        _indexes.Add(value, index);
        return true;
    }
}

/// <summary>Writes one record at a time into a reusable buffer (see <see cref="RecordCodec"/>).</summary>
public sealed class RecordWriter(StringPool pool)
{
    // A string is written as a varint tag: low two bits say how, the rest is a length or an index.
    internal const int Inline = 0, Pooled = 1, Repeat = 2, Null = 3;
    private byte[] _buffer = new byte[1024];
    private readonly List<string> _own = [];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public StringPool Pool => pool;

    public void Reset()
    {
        Length = 0;
        _own.Clear();
    }

    public void Byte(int value) => Room(1)[0] = checked((byte)value);

    public void Flag(bool value) => Byte(value ? 1 : 0);

    public void Count(int value) => VarUInt((uint)checked(value));

    public void Ticks(long value) => BinaryPrimitives.WriteInt64LittleEndian(Room(8), value);

    public void Date(DateOnly? date) => VarUInt(date is { } d ? (uint)d.DayNumber + 1 : 0);

    public void Date(DateOnly date) => Date((DateOnly?)date);

    /// <summary>A decimal with its scale: small ones as a header byte and a varint, others as their four parts.</summary>
    public void Amount(decimal? value)
    {
        if (value is not { } d)
        {
            Byte(0xFF);
            return;
        }
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(d, bits);
        var header = (bits[3] >> 16) & 0x1F | (bits[3] < 0 ? 0x20 : 0);
        if (bits[1] == 0 && bits[2] == 0)
        {
            Byte(header);
            VarUInt((uint)bits[0]);
            return;
        }
        Byte(header | 0x40);
        for (var i = 0; i < 3; i++) BinaryPrimitives.WriteInt32LittleEndian(Room(4), bits[i]);
    }

    /// <summary>A string of the record itself: UTF-8, or a reference to the same string written earlier in this record.</summary>
    public void Own(string value)
    {
        var earlier = value.Length == 0 ? -1 : _own.IndexOf(value);
        if (earlier >= 0)
        {
            VarUInt((uint)(earlier << 2 | Repeat));
            return;
        }
        if (value.Length != 0) _own.Add(value);
        var bytes = Encoding.UTF8.GetByteCount(value);
        VarUInt((uint)(bytes << 2 | Inline));
        Encoding.UTF8.GetBytes(value, Room(bytes));
    }

    /// <summary>A string records share: an index into the pool (written into the record when the pool is full).</summary>
    public void Shared(string? value)
    {
        if (value is null) VarUInt(Null);
        else if (pool.TryAdd(value, out var index)) VarUInt((uint)(index << 2 | Pooled));
        else Own(value);
    }

    public void SharedList(IReadOnlyList<string> values)
    {
        Count(values.Count);
        foreach (var v in values) Shared(v);
    }

    /// <summary>An HS prefix: its digits as a number after its length; anything else as a string after a zero length.</summary>
    public void Prefix(string prefix)
    {
        if (prefix.Length is > 0 and <= 18 && prefix.All(char.IsAsciiDigit))
        {
            Byte(prefix.Length);
            VarUInt64(ulong.Parse(prefix, NumberStyles.None, CultureInfo.InvariantCulture));
        }
        else
        {
            Byte(0);
            Own(prefix);
        }
    }

    private void VarUInt(uint value) => VarUInt64(value);

    private void VarUInt64(ulong value)
    {
        var written = VarInt.Write(Room(VarInt.MaxBytes), value);
        Length -= VarInt.MaxBytes - written;
    }

    private Span<byte> Room(int bytes)
    {
        if (Length + bytes > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + bytes));
        var span = _buffer.AsSpan(Length, bytes);
        Length += bytes;
        return span;
    }
}

/// <summary>Reads what <see cref="RecordWriter"/> wrote, in the same order.</summary>
public ref struct RecordReader(ReadOnlySpan<byte> data, StringPool pool)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;
    private string?[]? _own;
    private int _ownCount;

    public int Byte() => _data[_at++];

    public bool Flag() => Byte() != 0;

    public int Count() => checked((int)VarUInt64());

    public long Ticks()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(_data[_at..]);
        _at += 8;
        return value;
    }

    public DateOnly? Date() => VarUInt64() is var v and > 0 ? DateOnly.FromDayNumber((int)(v - 1)) : null;

    public decimal? Amount()
    {
        var header = Byte();
        if (header == 0xFF) return null;
        var scale = (byte)(header & 0x1F);
        var negative = (header & 0x20) != 0;
        if ((header & 0x40) == 0) return new decimal((int)(uint)VarUInt64(), 0, 0, negative, scale);
        var lo = BinaryPrimitives.ReadInt32LittleEndian(_data[_at..]);
        var mid = BinaryPrimitives.ReadInt32LittleEndian(_data[(_at + 4)..]);
        var hi = BinaryPrimitives.ReadInt32LittleEndian(_data[(_at + 8)..]);
        _at += 12;
        return new decimal(lo, mid, hi, negative, scale);
    }

    public string Own() => SharedOrNull() ?? throw new InvalidDataException("A record string is missing.");

    public string Shared() => SharedOrNull() ?? throw new InvalidDataException("A shared string is missing.");

    public string? SharedOrNull()
    {
        var tag = VarUInt64();
        var value = (int)(tag >> 2);
        switch ((int)(tag & 3))
        {
            case RecordWriter.Pooled:
                return pool[value];
            case RecordWriter.Repeat:
                return _own![value];
            case RecordWriter.Null:
                return null;
            default:
                if (value == 0) return string.Empty;
                var s = Encoding.UTF8.GetString(_data.Slice(_at, value));
                _at += value;
                _own ??= new string?[4];
                if (_ownCount == _own.Length) Array.Resize(ref _own, _own.Length * 2);
                _own[_ownCount++] = s;
                return s;
        }
    }

    public string[] SharedList()
    {
        var count = Count();
        if (count == 0) return [];
        var values = new string[count];
        for (var i = 0; i < count; i++) values[i] = Shared();
        return values;
    }

    public string Prefix()
    {
        var length = Byte();
        if (length == 0) return Own();
        return VarUInt64().ToString(CultureInfo.InvariantCulture).PadLeft(length, '0');
    }

    private ulong VarUInt64()
    {
        var value = VarInt.Read(_data[_at..], out var length);
        _at += length;
        return value;
    }
}
