using Grpc.Core;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using TradePolicy.V1;

namespace PolicyService.Server.Api;

public sealed class TruceGrpcService(IPolicyStore store, ReferenceCatalog catalog, TimeProvider clock) : TruceService.TruceServiceBase
{
    public override async Task<GetTruceStatusResponse> GetTruceStatus(GetTruceStatusRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var partyA = v.Jurisdiction("party_a", request.PartyA);
        var partyB = v.Jurisdiction("party_b", request.PartyB);
        var asOf = v.DateOrToday("as_of", request.AsOf, clock);
        v.ThrowIfInvalid();

        var bundles = await store.FindTrucesAsync(partyA, partyB, context.CancellationToken);
        var statuses = TruceStatusLookup.Resolve(bundles, partyA, partyB, asOf);
        var reference = await catalog.GetAsync(SourceIds(bundles.Select(b => b.Truce)), [], context.CancellationToken);
        return new GetTruceStatusResponse
        {
            PartyA = partyA,
            PartyB = partyB,
            AsOf = asOf.ToProto(),
            Truces = { statuses.Select(s => s.ToProto(reference)) },
            Coverage = Queries.Coverage.For(reference.ReviewedThrough, asOf).ToProto(),
        };
    }

    public override async Task<GetTruceResponse> GetTruce(GetTruceRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        v.ThrowIfInvalid();

        var truce = await store.GetTruceAsync(id, context.CancellationToken) ?? throw new ResourceNotFoundException("truce", id);
        var reference = await catalog.GetAsync(SourceIds([truce]), [], context.CancellationToken);
        return new GetTruceResponse { Truce = truce.ToProto(reference) };
    }

    public override async Task<ListTrucesResponse> ListTruces(ListTrucesRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var filter = new TruceFilter(v.OptionalJurisdiction("party", request.Party), v.OptionalDate("as_of", request.AsOf));
        var pageSize = v.PageSize("page_size", request.PageSize);
        v.ThrowIfInvalid();
        var after = PageToken.Read(request.PageToken, filter.ToString(), v);
        v.ThrowIfInvalid();

        var page = await store.ListTrucesAsync(filter, after, pageSize + 1, context.CancellationToken);
        var reference = await catalog.GetAsync(SourceIds(page), [], context.CancellationToken);
        var response = new ListTrucesResponse { Truces = { page.Take(pageSize).Select(t => t.ToProto(reference)) } };
        if (page.Count > pageSize) response.NextPageToken = PageToken.Create(page[pageSize - 1].Id, filter.ToString());
        return response;
    }

    private static IEnumerable<string> SourceIds(IEnumerable<Domain.Truce> truces) =>
        truces.SelectMany(t => t.SourceIds
            .Concat(t.Terms.SelectMany(x => x.SourceIds))
            .Concat(t.Events.SelectMany(e => e.SourceIds)));
}
