using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

/// <summary>
/// Brings a database to the current schema, loads the seed data into it when it holds none, then the shipped change
/// documents it lacks — all under the migration lock, so that two runs at once apply each exactly once.
/// </summary>
public sealed partial class DatabaseSetup(Migrator migrator, IPolicyStore store, SeedUpdates updates, StorageOptions options, ILogger<DatabaseSetup> logger)
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
        catch (Exception e) when (e is StoreUnavailableException or System.Data.Common.DbException or InvalidRequestException)
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
        if (await store.LoadReferenceDataAsync(ct) is not null) LogAlreadySeeded(logger);
        else await LoadSeedAsync(ct);
        // Shipped change documents reach a database seeded earlier too; each is applied once, by request id.
        await updates.ApplyAsync(ct);
    }

    private async Task LoadSeedAsync(CancellationToken ct)
    {
        var dataset = SeedData.Load();
        var errors = DatasetValidator.Validate(dataset);
        if (errors.Count > 0)
        {
            throw new InvalidDataException("The embedded seed data is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        // Where the migration lock is a no-op (SQLite), a concurrent run may have seeded first: the seed's request id replays.
        if ((await store.ApplyAsync(SeedData.ChangeSet(dataset), ct)).Replayed)
        {
            LogAlreadySeeded(logger);
            return;
        }
        LogSeeded(logger, dataset.TariffMeasures.Count, dataset.ExportControls.Count, dataset.Truces.Count, dataset.ReviewedThrough);
    }

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
