using PolicyService.Server.Domain;
using PolicyService.Server.Snapshots;

namespace PolicyService.Server.Storage;

/// <summary>The refresher's snapshot files: mapping the last one at start, writing new ones, removing those superseded.</summary>
public sealed partial class SnapshotRefresher
{
    private async Task<PolicySnapshot?> TryMapFileAsync(CancellationToken ct)
    {
        if (_files is not { } files || _filesFailed) return null;
        var (path, _) = SnapshotFile.Find(files.Directory, files.Prefix).FirstOrDefault();
        if (path is null) return null;
        try
        {
            using var reader = SnapshotFile.Reader.Open(path);
            if (reader is null) return null;
            var stamp = reader.Stamp;
            // The file is this database's only if the log shows the very entry it was built at.
            var entry = await EntryAtAsync(stamp.Position, ct);
            if (entry is null || Stamp(entry) != stamp)
            {
                LogFileStale(logger, path);
                return null;
            }
            if (await db.LatestChangeAsync(ct) - stamp.Position > options.RebuildThreshold) return null;
            var truces = await ReadAllAsync((after, take) => db.ListTrucesAsync(new TruceFilter(null, null), after, take, entry.RecordedTime, ct));
            var snapshot = PolicySnapshot.Read(reader, truces);
            _applied = stamp;
            return snapshot;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogFileUnreadable(logger, e, path);
            return null;
        }
    }

    /// <summary>A writer for the snapshot file at this entry, or null when there is no place for one (or writing one failed before).</summary>
    private SnapshotFile.Writer? NewFile(ChangeEntry? entry)
    {
        if (_files is not { } files || _filesFailed || entry is null) return null;
        try
        {
            return new SnapshotFile.Writer(files.Directory, files.Prefix, Stamp(entry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Lookups do not need the file; only the next start is slower without it.
            _filesFailed = true;
            LogFileUnwritable(logger, e, files.Directory);
            return null;
        }
    }

    private void RemoveFilesBefore(long position)
    {
        if (_files is not { } files) return;
        foreach (var (path, _) in SnapshotFile.Find(files.Directory, files.Prefix).Where(f => f.Position < position))
        {
            try
            {
                // Another process may still read it: on Linux an open file outlives its name.
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The directory and name prefix of the snapshot files of a database, or null when it has none.</summary>
    internal static (string Directory, string Prefix)? FilesFor(SnapshotOptions options, string? databaseFile)
    {
        if (!options.UseFiles) return null;
        if (options.Directory.Length > 0) return (Path.GetFullPath(options.Directory), "policy.snapshot");
        return databaseFile is null ? null : (Path.GetDirectoryName(databaseFile)!, Path.GetFileName(databaseFile) + ".snapshot");
    }

    /// <summary>Folds the snapshot's overlay into a new base, written to a new snapshot file when there is a place for one.</summary>
    private PolicySnapshot Compact(PolicySnapshot snapshot, ChangeEntry at)
    {
        if (_files is not { } files || _filesFailed) return snapshot.Compacted();
        try
        {
            using var file = new SnapshotFile.Writer(files.Directory, files.Prefix, Stamp(at));
            var compacted = snapshot.Compacted(file);
            RemoveFilesBefore(at.Seq);
            return compacted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _filesFailed = true;
            LogFileUnwritable(logger, e, files.Directory);
            return snapshot.Compacted();
        }
    }
}
