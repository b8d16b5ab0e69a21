using PolicyService.Server.Domain;
using PolicyService.Server.Seed;

namespace PolicyService.Server.Storage;

/// <summary>Brings a database to the current schema and loads the seed data into it when it holds none.</summary>
public sealed partial class DatabaseSetup(Migrator migrator, IPolicyStore store, StorageOptions options, ILogger<DatabaseSetup> logger)
{
    /// <summary>Exit code when the database refuses the configuration (a wrong password, database or TLS setting).</summary>
    public const int MisconfiguredExitCode = 2;

    /// <summary>
    /// <see cref="RunAsync"/> for a process about to exit or serve: failures are logged in one line (naming the setting to fix
    /// when the database refuses the configuration) and returned as an exit code instead of crashing; 0 is success.
    /// </summary>
    public async Task<int> RunOrReportAsync(CancellationToken ct)
    {
        try
        {
            await RunAsync(ct);
            return 0;
        }
        catch (StoreMisconfiguredException e)
        {
            LogMisconfigured(logger, options.Provider, e.Reason, StoreMisconfiguredException.Setting, e.InnerException?.Message);
            return MisconfiguredExitCode;
        }
        catch (Exception e) when (e is StoreUnavailableException or System.Data.Common.DbException)
        {
            LogFailed(logger, options.Provider, e.InnerException?.Message ?? e.Message, e);
            return 1;
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        // Seeded under the migration lock: a second 'migrate' started at once waits, then finds the seed committed.
        var applied = await migrator.MigrateAsync(SeedAsync, ct);
        LogSchema(logger, migrator.LatestVersion, applied);
    }

    private async Task SeedAsync(CancellationToken ct)
    {
        if (await store.LoadReferenceDataAsync(ct) is not null)
        {
            LogAlreadySeeded(logger);
            return;
        }
        var dataset = SeedData.Load();
        var errors = DatasetValidator.Validate(dataset);
        if (errors.Count > 0)
        {
            throw new InvalidDataException("The embedded seed data is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        // Where the migration lock is a no-op (SQLite), a concurrent run may have seeded first: the seed's request id replays.
        if ((await store.ApplyAsync(SeedChangeSet(dataset), ct)).Replayed)
        {
            LogAlreadySeeded(logger);
            return;
        }
        LogSeeded(logger, dataset.TariffMeasures.Count, dataset.ExportControls.Count, dataset.Truces.Count, dataset.ReviewedThrough);
    }

    /// <summary>The seed as one change set: every record created at version 1, by "seed", with its reason.</summary>
    public static ChangeSet SeedChangeSet(PolicyDataset dataset) => new(
        new ChangeContext("seed", $"Initial load of {SeedData.ResourceName} (shared/reference, reviewed through {dataset.ReviewedThrough:yyyy-MM-dd})", "seed:" + SeedData.ResourceName),
        dataset.Sources,
        dataset.ReviewedThrough,
        [
            .. dataset.TariffMeasures.Select(m => new RecordChange(m, RecordChange.Create, "")),
            .. dataset.ExportControls.Select(c => new RecordChange(c, RecordChange.Create, "")),
            .. dataset.Truces.Select(t => new RecordChange(t, RecordChange.Create, "")),
        ]);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Provider} policy database refuses the configured connection: {Reason}. Fix {Setting}. Database said: {Detail}")]
    private static partial void LogMisconfigured(ILogger logger, string provider, string reason, string setting, string? detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not migrate or seed the {Provider} policy database: {Detail}")]
    private static partial void LogFailed(ILogger logger, string provider, string detail, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema at version {Version} ({Applied} migrations applied now).")]
    private static partial void LogSchema(ILogger logger, int version, int applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy data already loaded; seed not applied.")]
    private static partial void LogAlreadySeeded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed loaded: {Measures} tariff measures, {Controls} export controls, {Truces} truces, reviewed through {Reviewed:yyyy-MM-dd}.")]
    private static partial void LogSeeded(ILogger logger, int measures, int controls, int truces, DateOnly reviewed);
}
