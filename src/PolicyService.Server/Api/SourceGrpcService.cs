using Grpc.Core;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;
using TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>The documents records cite, from the reference catalog (append-only: a source never changes once recorded).</summary>
public sealed class SourceGrpcService(ReferenceCatalog catalog) : SourceService.SourceServiceBase
{
    public override async Task<GetSourceResponse> GetSource(GetSourceRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        v.ThrowIfInvalid();

        var reference = await catalog.GetAsync([id], [], context.CancellationToken);
        if (!reference.Sources.ContainsKey(id)) throw new ResourceNotFoundException("source", id);
        return new GetSourceResponse { Source = reference.Sources([id]).Single() };
    }

    public override async Task<ListSourcesResponse> ListSources(ListSourcesRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var pageSize = v.PageSize("page_size", request.PageSize);
        v.ThrowIfInvalid();

        var reference = await catalog.GetAsync(context.CancellationToken);
        var page = await v.ReadPageAsync(request.PageToken, pageSize, "sources.v1", (after, take) =>
            Task.FromResult<IReadOnlyList<string>>([.. reference.Sources.Keys.Where(k => string.CompareOrdinal(k, after) > 0).Order(StringComparer.Ordinal).Take(take)]),
            id => id);
        return new ListSourcesResponse { Sources = { reference.Sources(page.Records) }, NextPageToken = page.NextPageToken };
    }
}
