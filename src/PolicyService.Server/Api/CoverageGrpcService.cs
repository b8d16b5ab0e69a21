using Grpc.Core;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using static PolicyService.Server.Api.ReadContext;

namespace PolicyService.Server.Api;

/// <summary>What the data covers, as recorded (append-only versions held with the reference catalog).</summary>
public sealed class CoverageGrpcService(IPolicyStore store, ReferenceCatalog catalog, TimeProvider clock)
    : CoverageService.CoverageServiceBase
{
    public override async Task<GetCoverageResponse> GetCoverage(GetCoverageRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        // The refresher reloads the catalog before it publishes a snapshot: waiting for the snapshot waits for the model.
        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var reference = await catalog.GetAsync(context.CancellationToken);
        var answered = Answered(knownAt, clock);
        var response = new GetCoverageResponse
        {
            Coverage = reference.CoverageModel(answered).ToProto(reference.ReviewedThrough(answered)),
            ChangeToken = ChangeToken.Create(source.Position),
        };
        return response;
    }
}
