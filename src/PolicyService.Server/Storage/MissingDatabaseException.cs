using PolicyService.Server.Snapshots;

namespace PolicyService.Server.Storage;

/// <summary>
/// The SQLite file is missing, yet a snapshot file built from it is still there: the data was lost or moved (a volume
/// not mounted, a file deleted), and creating a fresh, seeded database would silently replace it.
/// </summary>
public sealed class MissingDatabaseException(string path, string evidence)
    : Exception($"The SQLite database {path} is missing, but {evidence} shows it held data. Restore the file, or set " +
        $"{StorageOptions.Section}:{nameof(StorageOptions.CreateMissingDatabase)}=true to start from the seed data.")
{
    public string DatabasePath { get; } = path;

    /// <summary>Returns <paramref name="path"/> when the file exists, may be created, or leaves no trace of earlier data.</summary>
    public static string ThrowIfLost(string path, StorageOptions options, SnapshotOptions? snapshots)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) || options.CreateMissingDatabase) return path;
        if (File.Exists(full + "-wal")) throw new MissingDatabaseException(full, $"its write-ahead log {full}-wal");
        if (SnapshotRefresher.FilesFor(snapshots ?? new SnapshotOptions(), full) is { } files &&
            SnapshotFile.Find(files.Directory, files.Prefix).FirstOrDefault() is { Path: { } snapshot })
        {
            throw new MissingDatabaseException(full, $"the snapshot file {snapshot}");
        }
        return path;
    }
}
