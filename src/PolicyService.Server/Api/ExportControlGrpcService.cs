using Grpc.Core;
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
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var asOf = v.AsOf("as_of", request.AsOf, knownAt, clock);
        v.ThrowIfInvalid();

        var candidates = await store.FindExportCandidatesAsync(exporter, destination, item, knownAt, context.CancellationToken);
        var answer = ExportCheck.Resolve(candidates, exporter, destination, item, asOf);
        var reference = await catalog.GetAsync(candidates.SelectMany(c => c.SourceIds), [], context.CancellationToken);
        var response = answer.ToProto(reference, Answered(knownAt, clock));
        if (item.HsCode is { } code) response.Product = products.ProductOf(code);
        return response;
    }

    public override async Task<GetExportControlResponse> GetExportControl(GetExportControlRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        v.ThrowIfInvalid();

        var control = await store.GetExportControlAsync(id, knownAt, context.CancellationToken) ?? throw new ResourceNotFoundException("export control", id);
        var reference = await catalog.GetAsync(control.SourceIds, [], context.CancellationToken);
        return new GetExportControlResponse { ExportControl = control.ToProto(reference) };
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
        v.ThrowIfInvalid();
        var after = PageToken.Read(request.PageToken, Fingerprint(filter, knownAt), v);
        v.ThrowIfInvalid();

        var page = await store.ListExportControlsAsync(filter, after, pageSize + 1, knownAt, context.CancellationToken);
        var reference = await catalog.GetAsync(page.SelectMany(c => c.SourceIds), [], context.CancellationToken);
        var response = new ListExportControlsResponse
        {
            ExportControls =
            {
                page.Take(pageSize)
                    .Where(c => filter.Item is null || ExportCheck.MatchItem(c, filter.Item) is not null)
                    .Select(c => c.ToProto(reference)),
            },
        };
        if (page.Count > pageSize) response.NextPageToken = PageToken.Create(page[pageSize - 1].Id, Fingerprint(filter, knownAt));
        return response;
    }
}
