using Grpc.Core;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using static PolicyService.Server.Api.ReadContext;

namespace PolicyService.Server.Api;

public sealed class TruceGrpcService(IPolicyStore store, ReferenceCatalog catalog, TimeProvider clock) : TruceService.TruceServiceBase
{
    public override async Task<GetTruceStatusResponse> GetTruceStatus(GetTruceStatusRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var partyA = v.Jurisdiction("party_a", request.PartyA);
        var partyB = v.Jurisdiction("party_b", request.PartyB);
        var view = v.View("view", request.View);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var asOf = v.AsOf("as_of", request.AsOf, knownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var bundles = await source.Store.FindTrucesAsync(partyA, partyB, knownAt, context.CancellationToken);
        var statuses = TruceStatusLookup.Resolve(bundles, partyA, partyB, asOf);
        var answered = Answered(knownAt, clock);
        var reference = await catalog.GetAsync(SourceIds(bundles.Select(b => b.Truce)), [], context.CancellationToken);
        var coverage = reference.TruceCoverage(answered, partyA, partyB, asOf);
        return new GetTruceStatusResponse
        {
            PartyA = partyA,
            PartyB = partyB,
            AsOf = asOf.ToProto(),
            Truces = { statuses.Select(s => s.ToProto(reference)) },
            Coverage = coverage.ToProto().WithSnapshotTime(SnapshotTime(source, knownAt)),
            KnownAt = answered.ToTimestamp(),
            ChangeToken = ChangeToken.Create(source.Position),
            UnreviewedEvents = { Horizon.ForTruces(bundles.Select(b => b.Truce), partyA, partyB, coverage.ReviewedThrough, asOf).Select(e => e.ToProto()) },
        }.Apply(view);
    }

    public override async Task<GetTruceResponse> GetTruce(GetTruceRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var truce = await source.Store.GetTruceAsync(id, knownAt, context.CancellationToken) ?? throw new ResourceNotFoundException("truce", id);
        var reference = await catalog.GetAsync(SourceIds([truce]), [], context.CancellationToken);
        var response = new GetTruceResponse { Truce = truce.ToProto(reference), ChangeToken = ChangeToken.Create(source.Position) };
        return response;
    }

    public override async Task<ListTrucesResponse> ListTruces(ListTrucesRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var filter = new TruceFilter(v.OptionalJurisdiction("party", request.Party), v.OptionalDate("as_of", request.AsOf));
        var pageSize = v.PageSize("page_size", request.PageSize);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var page = await v.ReadPageAsync(request.PageToken, pageSize, Fingerprint(filter, knownAt),
            (after, take) => source.Store.ListTrucesAsync(filter, after, take, knownAt, context.CancellationToken));
        var reference = await catalog.GetAsync(SourceIds(page.Records), [], context.CancellationToken);
        var response = new ListTrucesResponse { Truces = { page.Records.Select(t => t.ToProto(reference)) }, NextPageToken = page.NextPageToken, ChangeToken = ChangeToken.Create(source.Position) };
        return response;
    }

    private static IEnumerable<string> SourceIds(IEnumerable<Domain.Truce> truces) =>
        truces.SelectMany(t => t.SourceIds
            .Concat(t.Terms.SelectMany(x => x.SourceIds))
            .Concat(t.Events.SelectMany(e => e.SourceIds)));
}
