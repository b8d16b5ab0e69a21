using System.Text.RegularExpressions;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Changes;

/// <summary>A change as an analyst asked for it, with the proto path its errors are reported under.</summary>
public abstract record RequestedChange(string Path);

public sealed record CreateRecord(IPolicyRecord Record, string Path) : RequestedChange(Path);

public sealed record UpdateRecord(IPolicyRecord Record, string Etag, string EtagPath, string Path) : RequestedChange(Path);

public sealed record RequestedStatusChange(StatusChange Change, IReadOnlyList<string> SourceIds, string? Etag, string Path) : RequestedChange(Path);

/// <summary>
/// Turns requested changes into one change set: status changes are applied to the latest version of their measure
/// (stored, or changed earlier in the same batch), and every resulting record is validated against what exists.
/// Nothing is written here; any violation is reported with its field and nothing at all is written.
/// </summary>
public sealed partial class ChangePlanner(IPolicyStore store, ReferenceCatalog catalog)
{
    public async Task<ChangeSet> PlanAsync(ChangeContext context, IReadOnlyList<RequestedChange> requested, IReadOnlyList<Source> newSources,
        DateOnly? reviewedThrough, FieldViolations validation, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(context.Reason)) validation.Fail("reason", "is required: say why the change is made");
        validation.ThrowIfInvalid();

        var reference = await catalog.ReloadAsync(ct);
        var batch = new Dictionary<string, IPolicyRecord>(StringComparer.Ordinal);
        var planned = new List<(RecordChange Change, string Path)>();

        foreach (var change in requested)
        {
            switch (change)
            {
                case CreateRecord create:
                    await RequireUnusedAsync(create.Record, $"{create.Path}.id", validation, ct);
                    planned.Add((new RecordChange(create.Record, RecordChange.Create, ""), create.Path));
                    batch[create.Record.Id] = create.Record;
                    break;
                case UpdateRecord update:
                    if (string.IsNullOrWhiteSpace(update.Etag)) validation.Fail(update.EtagPath, "is required: the etag of the version you edited");
                    planned.Add((new RecordChange(update.Record, RecordChange.Update, update.Etag.Trim()), update.Path));
                    batch[update.Record.Id] = update.Record;
                    break;
                case RequestedStatusChange status:
                    if (await ApplyStatusAsync(status, batch, validation, ct) is var (changed, baseEtag))
                    {
                        planned.Add((new RecordChange(changed, RecordChange.StatusChange, status.Etag ?? baseEtag), status.Path));
                        batch[changed.Id] = changed;
                    }
                    break;
            }
        }

        var known = await KnownIdsAsync(reference, newSources, batch.Values, planned.Select(p => p.Change.Record), ct);
        foreach (var (change, path) in planned)
        {
            var errors = change.Record switch
            {
                TariffMeasure m => DatasetValidator.Check(m, path, known),
                ExportControl c => DatasetValidator.Check(c, path, known),
                _ => DatasetValidator.Check((Truce)change.Record, path, known),
            };
            foreach (var error in errors) validation.Fail(ProtoPath(error.Field), error.Message);
        }
        validation.ThrowIfInvalid();
        return new ChangeSet(context, newSources, reviewedThrough, [.. planned.Select(p => p.Change)]);
    }

    /// <summary>
    /// The record with the status applied, and the etag it was applied to: a status change sent without an etag is
    /// still pinned to the version it was planned from, so a change committed in between is never overwritten (the
    /// write then fails with ABORTED and is planned again). Null base etag: the record comes from this batch.
    /// </summary>
    private async Task<(IPolicyRecord Changed, string? BaseEtag)?> ApplyStatusAsync(RequestedStatusChange status,
        Dictionary<string, IPolicyRecord> batch, FieldViolations validation, CancellationToken ct)
    {
        var id = status.Change.MeasureId;
        var current = batch.GetValueOrDefault(id)
            ?? (IPolicyRecord?)await store.GetTariffMeasureAsync(id, DateTime.MaxValue, ct)
            ?? await store.GetExportControlAsync(id, DateTime.MaxValue, ct);
        if (current is null)
        {
            validation.Fail($"{status.Path}.measure_id", $"no tariff measure or export control has id '{id}'");
            return null;
        }
        try
        {
            IPolicyRecord? changed = current switch
            {
                TariffMeasure m => StatusChanges.Apply(m, status.Change) with { SourceIds = Merge(m.SourceIds, status.SourceIds), Recorded = null },
                ExportControl c => StatusChanges.Apply(c, status.Change) with { SourceIds = Merge(c.SourceIds, status.SourceIds), Recorded = null },
                _ => Unsupported(status, validation),
            };
            return changed is null ? null : (changed, current.Recorded?.Etag);
        }
        catch (StatusChangeOrderException e)
        {
            validation.Fail($"{status.Path}.effective_date", e.Message);
            return null;
        }
    }

    private static IPolicyRecord? Unsupported(RequestedStatusChange status, FieldViolations validation)
    {
        validation.Fail($"{status.Path}.measure_id", "a truce's windows are changed with UpdateTruce, not a status change");
        return null;
    }

    private static List<string> Merge(IReadOnlyList<string> existing, IReadOnlyList<string> added) => [.. existing.Union(added, StringComparer.Ordinal)];

    /// <summary>Ids are unique across tariff measures and export controls, so a status change can name either.</summary>
    private async Task RequireUnusedAsync(IPolicyRecord record, string path, FieldViolations validation, CancellationToken ct)
    {
        var id = record.Id;
        if (id.Length == 0) return;
        var clash = record switch
        {
            TariffMeasure => await store.GetExportControlAsync(id, DateTime.MaxValue, ct) is not null ? "an export control" : null,
            ExportControl => await store.GetTariffMeasureAsync(id, DateTime.MaxValue, ct) is not null ? "a tariff measure" : null,
            _ => null,
        };
        if (clash is not null) validation.Fail(path, $"'{id}' is already the id of {clash}");
    }

    private async Task<KnownIds> KnownIdsAsync(ReferenceData reference, IReadOnlyList<Source> newSources, IEnumerable<IPolicyRecord> batch,
        IEnumerable<IPolicyRecord> records, CancellationToken ct)
    {
        var sources = reference.Sources.Keys.Concat(newSources.Select(s => s.Id)).ToHashSet(StringComparer.Ordinal);
        var batchTerms = batch.OfType<Truce>().SelectMany(t => t.Terms).Select(t => t.Id);
        var terms = reference.TruceIdByTerm.Keys.Concat(batchTerms).ToHashSet(StringComparer.Ordinal);

        var measures = batch.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var referenced = records.SelectMany(r => r switch
        {
            TariffMeasure m => m.ExcludedBy.Select(x => x.MeasureId),
            Truce t => t.Terms.SelectMany(x => x.MeasureIds),
            _ => [],
        }).Where(id => !measures.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in referenced)
        {
            if (await store.GetTariffMeasureAsync(id, DateTime.MaxValue, ct) is not null || await store.GetExportControlAsync(id, DateTime.MaxValue, ct) is not null)
                measures.Add(id);
        }
        return new KnownIds(sources, terms, measures);
    }

    /// <summary>A validator path ("changes[2].create_tariff_measure.periods[1].endDate") in proto field names.</summary>
    public static string ProtoPath(string field) =>
        CamelHump().Replace(field.Replace(".scope.", ".product_scope.", StringComparison.Ordinal).Replace(".sourceIds", ".sources", StringComparison.Ordinal), "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelHump();
}
