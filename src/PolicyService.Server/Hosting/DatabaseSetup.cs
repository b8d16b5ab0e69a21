using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

/// <summary>Brings a database to the current schema, loads the seed data into it when it holds none, then the shipped change documents it lacks.</summary>
public sealed partial class DatabaseSetup(Migrator migrator, IPolicyStore store, SeedUpdates updates, ILogger<DatabaseSetup> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var applied = await migrator.MigrateAsync(ct);
        LogSchema(logger, migrator.LatestVersion, applied);

        if (await store.LoadReferenceDataAsync(ct) is not null) LogAlreadySeeded(logger);
        else await SeedAsync(ct);
        // Shipped change documents reach a database seeded earlier too; each is applied once, by request id.
        await updates.ApplyAsync(ct);
    }

    private async Task SeedAsync(CancellationToken ct)
    {
        var dataset = SeedData.Load();
        var errors = DatasetValidator.Validate(dataset);
        if (errors.Count > 0)
        {
            throw new InvalidDataException("The embedded seed data is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        await store.ApplyAsync(SeedData.ChangeSet(dataset), ct);
        LogSeeded(logger, dataset.TariffMeasures.Count, dataset.ExportControls.Count, dataset.Truces.Count, dataset.ReviewedThrough);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema at version {Version} ({Applied} migrations applied now).")]
    private static partial void LogSchema(ILogger logger, int version, int applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy data already loaded; seed not applied.")]
    private static partial void LogAlreadySeeded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed loaded: {Measures} tariff measures, {Controls} export controls, {Truces} truces, reviewed through {Reviewed:yyyy-MM-dd}.")]
    private static partial void LogSeeded(ILogger logger, int measures, int controls, int truces, DateOnly reviewed);
}
