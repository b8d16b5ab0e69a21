using Microsoft.Win32.SafeHandles;

namespace PolicyService.Server.Snapshots;

/// <summary>Where a snapshot's encoded records live: in memory, or in a snapshot file (the OS keeps it in its page cache, outside the process).</summary>
public abstract class RecordBytes
{
    /// <summary>The bytes from a record's location to the end of its region (a record is read until it ends).</summary>
    public abstract ReadOnlySpan<byte> From(int location);

    /// <summary>Bytes held in the process's heap (a file holds none there).</summary>
    public abstract long HeapBytes { get; }
}

/// <summary>Collects encoded records while a snapshot is built and returns where each was put.</summary>
public abstract class RecordSink
{
    public abstract int Append(ReadOnlySpan<byte> record);

    /// <summary>Every record is in: the bytes to read them from.</summary>
    public abstract RecordBytes Complete();
}

/// <summary>Records in 1 MiB pages on the heap: for a snapshot with no file.</summary>
public sealed class PagedRecordSink : RecordSink
{
    private const int PageShift = 20;
    private const int PageBytes = 1 << PageShift;
    private readonly List<byte[]> _pages = [];
    private byte[]? _page;
    private int _used;

    public override int Append(ReadOnlySpan<byte> record)
    {
        if (_page is null || _used + record.Length > _page.Length)
        {
            if (_page is not null) _pages.Add(_page);
            if (_pages.Count >= 1 << (31 - PageShift)) throw new InvalidOperationException("The snapshot has outgrown its record pages.");
            _page = new byte[Math.Max(PageBytes, record.Length)];
            _used = 0;
        }
        record.CopyTo(_page.AsSpan(_used));
        var location = _pages.Count << PageShift | _used;
        _used += record.Length;
        return location;
    }

    public override RecordBytes Complete()
    {
        // The last page is cut to what it holds, so a small snapshot does not keep a megabyte.
        if (_page is not null) _pages.Add(_used == _page.Length ? _page : _page[.._used]);
        _page = null;
        return new Pages([.. _pages]);
    }

    private sealed class Pages(byte[][] pages) : RecordBytes
    {
        public override ReadOnlySpan<byte> From(int location) => pages[location >> PageShift].AsSpan(location & (PageBytes - 1));

        public override long HeapBytes => pages.Sum(p => (long)p.Length);
    }
}

/// <summary>
/// The record region of a snapshot file, read record by record with positional reads: the records stay in the OS's
/// page cache, outside the process (a mapping would count every page lookups touch in the process's resident memory).
/// Each record is stored after its length, so one read of a typical record fetches all of it.
/// </summary>
public sealed class FileRecordBytes(string path, long offset) : RecordBytes
{
    private const int TypicalRecord = 1024;
    [ThreadStatic] private static byte[]? t_buffer;
    private readonly SafeFileHandle _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);

    /// <summary>The record at the location, in a buffer of this thread that the next read reuses.</summary>
    public override ReadOnlySpan<byte> From(int location)
    {
        var buffer = t_buffer ??= new byte[TypicalRecord];
        var read = RandomAccess.Read(_file, buffer, offset + location);
        var length = (int)VarInt.Read(buffer.AsSpan(0, read), out var prefix);
        if (prefix + length > buffer.Length)
        {
            t_buffer = buffer = new byte[prefix + length];
            read = RandomAccess.Read(_file, buffer, offset + location);
        }
        if (read < prefix + length) throw new InvalidDataException("A snapshot file ends inside a record.");
        return buffer.AsSpan(prefix, length);
    }

    public override long HeapBytes => 0;

    /// <summary>Writes a record after its length, as <see cref="From"/> reads it.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> record)
    {
        Span<byte> prefix = stackalloc byte[VarInt.MaxBytes];
        stream.Write(prefix[..VarInt.Write(prefix, (ulong)record.Length)]);
        stream.Write(record);
    }
}

/// <summary>Unsigned LEB128: the varint of the record encoding and of the length before each record in a file.</summary>
internal static class VarInt
{
    public const int MaxBytes = 10;

    public static int Write(Span<byte> span, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        return n;
    }

    public static ulong Read(ReadOnlySpan<byte> span, out int length)
    {
        ulong value = 0;
        for (length = 0; length < Math.Min(span.Length, MaxBytes); length++)
        {
            value |= (ulong)(span[length] & 0x7F) << (7 * length);
            if (span[length] < 0x80)
            {
                length++;
                return value;
            }
        }
        throw new InvalidDataException("A varint is cut short.");
    }
}
