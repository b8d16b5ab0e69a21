using System.Runtime.InteropServices;

namespace PolicyService.Server.Snapshots;

/// <summary>
/// The change-log entry a snapshot file was built at: a process starting on the same database maps the file instead of
/// reading every record again, once the database shows this very entry at this position (and reads the rest of the log).
/// </summary>
public sealed record SnapshotStamp(long Position, long RecordedTicks, string ResourceType, string ResourceId, int Version);

/// <summary>
/// A snapshot's compact base on disk: a magic number, the encoded records (each after its length; read one by one when
/// a lookup needs it), then the
/// string pool, the record positions and the lane indexes, then a trailer with the stamp. Written to a temporary name
/// and renamed when complete, so a file under its final name is always whole.
/// </summary>
public static class SnapshotFile
{
    private const long Magic = 0x3130_5041_4E53_5350; // "PSSNAP01", little-endian
    // 2: product scopes carry dated exclusions; a file of format 1 is discarded and rebuilt from the database.
    // 3: tariff periods carry their rate basis and conditions, stacking rules their effect (older files are rebuilt).
    private const int FormatVersion = 3;
    internal const int RecordsStart = 8;

    /// <summary>The files of one database in a directory, newest position first.</summary>
    public static IEnumerable<(string Path, long Position)> Find(string directory, string prefix)
    {
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, prefix + ".*")
            .Select(p => (Path: p, Position: long.TryParse(System.IO.Path.GetFileName(p)[(prefix.Length + 1)..], out var n) ? n : -1))
            .Where(f => f.Position >= 0)
            .OrderByDescending(f => f.Position);
    }

    public static string PathFor(string directory, string prefix, long position) => System.IO.Path.Combine(directory, $"{prefix}.{position}");

    /// <summary>Writes one snapshot file: records first (through <see cref="Writer.Records"/>), then the sections, then <see cref="Writer.Commit"/>.</summary>
    public sealed class Writer : IDisposable
    {
        private readonly FileStream _stream;
        private readonly string _temporary;
        private readonly string _final;
        private readonly SnapshotStamp _stamp;
        private long _recordsEnd = -1;

        public Writer(string directory, string prefix, SnapshotStamp stamp)
        {
            Directory.CreateDirectory(directory);
            _stamp = stamp;
            _final = PathFor(directory, prefix, stamp.Position);
            _temporary = $"{_final}.{Guid.NewGuid():N}.tmp";
            _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
            Section = new BinaryWriter(_stream, System.Text.Encoding.UTF8, leaveOpen: true);
            Section.Write(Magic);
            Records = new FileSink(this);
        }

        public RecordSink Records { get; }

        /// <summary>Where the sections after the records are written.</summary>
        public BinaryWriter Section { get; }

        /// <summary>A count, then the numbers as they lie in memory (read back by <see cref="Reader.Numbers{TNumber}"/>).</summary>
        public void Numbers<TNumber>(ReadOnlySpan<TNumber> values) where TNumber : unmanaged
        {
            Section.Write(values.Length);
            Section.Flush();
            _stream.Write(MemoryMarshal.AsBytes(values));
        }

        /// <summary>Ends the file with its trailer, makes it durable and gives it its final name.</summary>
        public string Commit()
        {
            var trailer = _stream.Position;
            Section.Write(FormatVersion);
            Section.Write(_recordsEnd);
            Section.Write(_stamp.Position);
            Section.Write(_stamp.RecordedTicks);
            Section.Write(_stamp.ResourceType);
            Section.Write(_stamp.ResourceId);
            Section.Write(_stamp.Version);
            Section.Write(trailer);
            Section.Write(Magic);
            Section.Flush();
            _stream.Flush(flushToDisk: true);
            Section.Dispose();
            _stream.Dispose();
            File.Move(_temporary, _final, overwrite: true);
            return _final;
        }

        /// <summary>Closes the file; one never committed (a build that failed) is deleted.</summary>
        public void Dispose()
        {
            if (_stream.CanWrite)
            {
                Section.Dispose();
                _stream.Dispose();
            }
            if (File.Exists(_temporary)) File.Delete(_temporary);
        }

        private sealed class FileSink(Writer file) : RecordSink
        {
            public override int Append(ReadOnlySpan<byte> record)
            {
                var location = file._stream.Position - RecordsStart;
                if (location + record.Length > int.MaxValue) throw new InvalidOperationException("The snapshot file's records have outgrown 2 GiB.");
                FileRecordBytes.Write(file._stream, record);
                return (int)location;
            }

            public override RecordBytes Complete()
            {
                file._stream.Flush();
                file._recordsEnd = file._stream.Position;
                // Opened under its temporary name: the handle follows the file through the rename.
                return new FileRecordBytes(file._temporary, RecordsStart);
            }
        }
    }

    /// <summary>Reads a snapshot file's sections back; the records stay in the file, read when needed.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly FileStream _stream;

        private Reader(string path, FileStream stream, SnapshotStamp stamp, long recordsEnd)
        {
            Path = path;
            _stream = stream;
            Stamp = stamp;
            Section = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            Records = new FileRecordBytes(path, RecordsStart);
            stream.Position = recordsEnd;
        }

        public string Path { get; }

        public SnapshotStamp Stamp { get; }

        public RecordBytes Records { get; }

        public BinaryReader Section { get; }

        /// <summary>The file's reader, positioned at its first section; null when it is not a whole snapshot file of this format.</summary>
        public static Reader? Open(string path)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
            try
            {
                using var header = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                if (stream.Length < 32 || header.ReadInt64() != Magic) return Discard(stream);
                stream.Position = stream.Length - 16;
                var trailer = header.ReadInt64();
                if (header.ReadInt64() != Magic || trailer < RecordsStart || trailer >= stream.Length) return Discard(stream);
                stream.Position = trailer;
                if (header.ReadInt32() != FormatVersion) return Discard(stream);
                var recordsEnd = header.ReadInt64();
                var stamp = new SnapshotStamp(header.ReadInt64(), header.ReadInt64(), header.ReadString(), header.ReadString(), header.ReadInt32());
                return recordsEnd < RecordsStart || recordsEnd > trailer ? Discard(stream) : new Reader(path, stream, stamp, recordsEnd);
            }
            catch (EndOfStreamException)
            {
                return Discard(stream);
            }
        }

        public TNumber[] Numbers<TNumber>() where TNumber : unmanaged
        {
            var values = new TNumber[Section.ReadInt32()];
            _stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        public void Dispose()
        {
            Section.Dispose();
            _stream.Dispose();
        }

        private static Reader? Discard(FileStream stream)
        {
            stream.Dispose();
            return null;
        }
    }
}
