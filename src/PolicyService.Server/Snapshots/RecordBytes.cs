using System.IO.MemoryMappedFiles;

namespace PolicyService.Server.Snapshots;

/// <summary>Where a snapshot's encoded records live: in memory, or in a snapshot file mapped read-only (the OS pages it in and out).</summary>
public abstract class RecordBytes
{
    /// <summary>The bytes from a record's location to the end of its region (a record is read until it ends).</summary>
    public abstract ReadOnlySpan<byte> From(int location);

    /// <summary>Bytes held in the process's heap (a mapped file holds none there).</summary>
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
/// A read-only mapping of a snapshot file's record region. Unmapped by the finalizer once no snapshot refers to it, so a
/// reader holding an older snapshot never reads an unmapped page.
/// </summary>
public sealed unsafe class MappedRecordBytes : RecordBytes
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly long _length;

    public MappedRecordBytes(string path, long offset, long length)
    {
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, offset + length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _start = pointer + _view.PointerOffset + offset;
        _length = length;
    }

    ~MappedRecordBytes()
    {
        // Safe handles are finalized after ordinary finalizers, so the view's handle is still open here.
        try
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Closed already at process exit: nothing left to unmap.
        }
    }

    public override ReadOnlySpan<byte> From(int location)
    {
        var span = new ReadOnlySpan<byte>(_start + location, checked((int)Math.Min(_length - location, int.MaxValue)));
        GC.KeepAlive(this);
        return span;
    }

    public override long HeapBytes => 0;
}
