using Grpc.Core;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;
using TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>The documents records cite, from the reference catalog (append-only: a source never changes once recorded).</summary>
public sealed class SourceGrpcService(IPolicyStore store, ReferenceCatalog catalog) : SourceService.SourceServiceBase
{
    public override async Task<GetSourceResponse> GetSource(GetSourceRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        // Sources are held with the snapshot's reference data: waiting for the snapshot waits for them too.
        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var reference = await catalog.GetAsync([id], [], context.CancellationToken);
        if (!reference.Sources.ContainsKey(id)) throw new ResourceNotFoundException("source", id);
        return new GetSourceResponse { Source = reference.Sources([id]).Single(), ChangeToken = ChangeToken.Create(source.Position) };
    }

    public override async Task<ListSourcesResponse> ListSources(ListSourcesRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var pageSize = v.PageSize("page_size", request.PageSize);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var reference = await catalog.GetAsync(context.CancellationToken);
        var page = await v.ReadPageAsync(request.PageToken, pageSize, "sources.v1", (after, take) =>
            Task.FromResult<IReadOnlyList<string>>([.. reference.Sources.Keys.Where(k => string.CompareOrdinal(k, after) > 0).Order(StringComparer.Ordinal).Take(take)]),
            id => id);
        return new ListSourcesResponse { Sources = { reference.Sources(page.Records) }, NextPageToken = page.NextPageToken, ChangeToken = ChangeToken.Create(source.Position) };
    }
}
