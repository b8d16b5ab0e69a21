using Grpc.Core;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using static PolicyService.Server.Api.ReadContext;

namespace PolicyService.Server.Api;

public sealed class ExportControlGrpcService(IPolicyStore store, ReferenceCatalog catalog, TimeProvider clock, Products.ProductCatalog products)
    : ExportControlService.ExportControlServiceBase
{
    public override async Task<CheckExportResponse> CheckExport(CheckExportRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var exporter = v.Jurisdiction("exporter", request.Exporter);
        var destination = v.Jurisdiction("destination", request.Destination);
        var item = v.Item("item", request.Item);
        var view = v.View("view", request.View);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var asOf = v.AsOf("as_of", request.AsOf, knownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var assumptions = await ScenarioRequests.ReadAsync(request.Scenario, source.Store, knownAt, context.CancellationToken);
        var enacted = await source.Store.FindExportCandidatesAsync(exporter, destination, item, knownAt, context.CancellationToken);
        var (candidates, applied) = assumptions.Count == 0 ? (enacted, []) : ScenarioOverlay.Apply(enacted, assumptions);
        var answer = ExportVariants.Resolve(candidates, exporter, destination, item, asOf);
        var reference = await catalog.GetAsync(candidates.SelectMany(c => c.SourceIds), [], context.CancellationToken);
        var answered = Answered(knownAt, clock);
        var coverage = reference.ExportCoverage(answered, exporter, destination, asOf);
        var (marked, unreviewed) = await HorizonAnswers.ForExportAsync(source.Store, reference, answer, candidates, applied, coverage.ReviewedThrough, knownAt, context.CancellationToken);
        var response = marked.ToProto(reference, coverage, answered);
        response.UnreviewedEvents.Add(unreviewed.Select(e => e.ToProto()));
        if (item.HsCode is { } code) response.Product = products.ProductOf(code);
        response.Scenario = ScenarioRequests.ToProto(applied);
        response.ChangeToken = ChangeToken.Create(source.Position);
        response.Coverage.SnapshotTime = SnapshotTime(source, knownAt);
        response.Coverage.Hypothetical = assumptions.Count > 0;
        return response.Apply(view);
    }

    public override async Task<GetExportTimelineResponse> GetExportTimeline(GetExportTimelineRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var exporter = v.Jurisdiction("exporter", request.Exporter);
        var destination = v.Jurisdiction("destination", request.Destination);
        var item = v.Item("item", request.Item);
        var (start, end) = v.DateRange("start_date", request.StartDate, "end_date", request.EndDate, Timeline.MaxYears);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var view = v.View("view", request.View);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();
        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var assumptions = await ScenarioRequests.ReadAsync(request.Scenario, source.Store, knownAt, context.CancellationToken);

        // The same candidates CheckExport reads: every control that can apply, with all its periods; a scenario rewrites
        // this request's copy of them only.
        var enacted = await source.Store.FindExportCandidatesAsync(exporter, destination, item, knownAt, context.CancellationToken);
        var (candidates, applied) = ScenarioOverlay.Apply(enacted, assumptions);
        var timeline = ExportTimeline.Resolve(candidates, exporter, destination, item, start, end);
        var reference = await catalog.GetAsync(candidates.SelectMany(c => c.SourceIds), [], context.CancellationToken);
        var answered = Answered(knownAt, clock);
        var coverage = reference.ExportCoverage(answered, exporter, destination, end.AddDays(-1));
        var (marked, unreviewed) = await HorizonAnswers.ForExportTimelineAsync(source.Store, reference, timeline, candidates, applied, coverage.ReviewedThrough, knownAt, context.CancellationToken);
        var response = marked.ToProto(reference, coverage, answered, view);
        for (var i = 0; i < response.Segments.Count; i++) response.Segments[i].UnreviewedEvents.Add(unreviewed[i].Select(e => e.ToProto()));
        if (view == ExportView.Basic) HorizonMapping.Basic(response.Segments.SelectMany(s => s.UnreviewedEvents));
        if (item.HsCode is { } code && view != ExportView.Basic) response.Product = products.ProductOf(code);
        response.Scenario = ScenarioRequests.ToProto(applied);
        response.ChangeToken = ChangeToken.Create(source.Position);
        response.Coverage.SnapshotTime = SnapshotTime(source, knownAt);
        response.Coverage.Hypothetical = assumptions.Count > 0;
        return response;
    }

    public override async Task<GetExportControlResponse> GetExportControl(GetExportControlRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var control = await source.Store.GetExportControlAsync(id, knownAt, context.CancellationToken) ?? throw new ResourceNotFoundException("export control", id);
        var reference = await catalog.GetAsync(control.SourceIds, [], context.CancellationToken);
        var response = new GetExportControlResponse { ExportControl = control.ToProto(reference), ChangeToken = ChangeToken.Create(source.Position) };
        return response;
    }

    public override async Task<ListExportControlsResponse> ListExportControls(ListExportControlsRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var filter = new ExportFilter(
            v.OptionalJurisdiction("exporter", request.Exporter),
            v.OptionalJurisdiction("destination", request.Destination),
            v.OptionalItem("item", request.Item),
            v.OptionalDate("as_of", request.AsOf));
        var pageSize = v.PageSize("page_size", request.PageSize);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var page = await v.ReadPageAsync(request.PageToken, pageSize, Fingerprint(filter, knownAt),
            (after, take) => source.Store.ListExportControlsAsync(filter, after, take, knownAt, context.CancellationToken));
        var reference = await catalog.GetAsync(page.Records.SelectMany(c => c.SourceIds), [], context.CancellationToken);
        var response = new ListExportControlsResponse { ExportControls = { page.Records.Select(c => c.ToProto(reference)) }, NextPageToken = page.NextPageToken, ChangeToken = ChangeToken.Create(source.Position) };
        return response;
    }
}
