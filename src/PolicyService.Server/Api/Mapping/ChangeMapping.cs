using PolicyService.Server.Changes;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>The changes of an import, proto to the requests the planner takes.</summary>
public sealed partial class ProtoReader
{
    public RequestedChange? Read(V1.PolicyChange change, string path)
    {
        string At(string field) => $"{path}.{field}";
        switch (change.ChangeCase)
        {
            case V1.PolicyChange.ChangeOneofCase.CreateTariffMeasure:
                return new CreateRecord(Read(change.CreateTariffMeasure, At("create_tariff_measure")), At("create_tariff_measure"));
            case V1.PolicyChange.ChangeOneofCase.UpdateTariffMeasure:
                return new UpdateRecord(Read(change.UpdateTariffMeasure, At("update_tariff_measure")), change.Etag, At("etag"), At("update_tariff_measure"));
            case V1.PolicyChange.ChangeOneofCase.CreateExportControl:
                return new CreateRecord(Read(change.CreateExportControl, At("create_export_control")), At("create_export_control"));
            case V1.PolicyChange.ChangeOneofCase.UpdateExportControl:
                return new UpdateRecord(Read(change.UpdateExportControl, At("update_export_control")), change.Etag, At("etag"), At("update_export_control"));
            case V1.PolicyChange.ChangeOneofCase.CreateTruce:
                return new CreateRecord(Read(change.CreateTruce, At("create_truce")), At("create_truce"));
            case V1.PolicyChange.ChangeOneofCase.UpdateTruce:
                return new UpdateRecord(Read(change.UpdateTruce, At("update_truce")), change.Etag, At("etag"), At("update_truce"));
            case V1.PolicyChange.ChangeOneofCase.StatusChange:
                return ReadStatusChange(change.StatusChange, change.Etag, At("status_change"));
            default:
                validation.Fail(path, "names no change");
                return null;
        }
    }

    /// <summary>
    /// An import's changes, reviewed-through date and coverage model; its sources (each with an id and a title) go to
    /// <see cref="NewSources"/>.
    /// </summary>
    public (IReadOnlyList<RequestedChange> Changes, DateOnly? ReviewedThrough, Storage.CoverageChange? Coverage) Read(V1.ImportChangesRequest request)
    {
        foreach (var (source, i) in request.Sources.Select((s, i) => (s, i)))
        {
            if (string.IsNullOrWhiteSpace(source.Id) || string.IsNullOrWhiteSpace(source.Title)) validation.Fail($"sources[{i}]", "needs an id and a title");
            else NewSources.Add(new Domain.Source(source.Id.Trim(), source.Title, Urls(source.Urls, $"sources[{i}].urls")));
        }
        var changes = request.Changes.Select((c, i) => Read(c, $"changes[{i}]")).OfType<RequestedChange>().ToList();
        var coverage = request.Coverage is { } c
            ? new Storage.CoverageChange(Read(c, "coverage"), string.IsNullOrWhiteSpace(request.CoverageEtag) ? null : request.CoverageEtag.Trim())
            : null;
        return (changes, validation.OptionalDate("reviewed_through", request.ReviewedThrough), coverage);
    }

    /// <summary>A status change with the sources it cites; <paramref name="etag"/> empty: applied to the latest version.</summary>
    public RequestedStatusChange ReadStatusChange(V1.StatusChange status, string etag, string path)
    {
        if (status.Sources.Count == 0) validation.Fail($"{path}.sources", "at least one source is required");
        return new RequestedStatusChange(Read(status, path), Sources(status.Sources, $"{path}.sources"),
            string.IsNullOrWhiteSpace(etag) ? null : etag.Trim(), path);
    }
}
