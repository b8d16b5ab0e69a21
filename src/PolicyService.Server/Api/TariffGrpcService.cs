using Grpc.Core;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using static PolicyService.Server.Api.ReadContext;

namespace PolicyService.Server.Api;

public sealed class TariffGrpcService(IPolicyStore store, ReferenceCatalog catalog, TimeProvider clock, Products.ProductCatalog products) : TariffService.TariffServiceBase
{
    public override async Task<LookupDutyResponse> LookupDuty(LookupDutyRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var importer = v.Jurisdiction("importer", request.Importer);
        var origin = v.Jurisdiction("origin", request.Origin);
        var hsCode = v.HsCode("hs_code", request.HsCode);
        var view = v.View("view", request.View);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var asOf = v.AsOf("as_of", request.AsOf, knownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var assumptions = await ScenarioRequests.ReadAsync(request.Scenario, source.Store, knownAt, context.CancellationToken);
        var enacted = await source.Store.FindTariffCandidatesAsync(importer, origin, hsCode, knownAt, context.CancellationToken);
        // A scenario rewrites this request's copy of the candidates only; an enacted lookup makes no copy.
        var (candidates, applied) = assumptions.Count == 0 ? (enacted, []) : ScenarioOverlay.Apply(enacted, assumptions);
        var answer = DutyVariants.Resolve(candidates, importer, origin, hsCode, asOf);
        var reference = await catalog.GetAsync(
            candidates.SelectMany(m => m.SourceIds),
            DutyVariants.TruceTermIds(answer),
            context.CancellationToken);
        var answered = Answered(knownAt, clock);
        var coverage = reference.DutyCoverage(answered, importer, origin, asOf);
        var (marked, unreviewed) = await HorizonAnswers.ForDutyAsync(source.Store, reference, answer, candidates, applied, coverage.ReviewedThrough, knownAt, context.CancellationToken);
        var response = marked.ToProto(reference, coverage, answered);
        response.UnreviewedEvents.Add(unreviewed.Select(e => e.ToProto()));
        response.Product = products.ProductOf(hsCode);
        response.Scenario = ScenarioRequests.ToProto(applied);
        response.ChangeToken = ChangeToken.Create(source.Position);
        response.Coverage.SnapshotTime = SnapshotTime(source, knownAt);
        response.Coverage.Hypothetical = assumptions.Count > 0;
        return response.Apply(view);
    }

    public override async Task<GetDutyTimelineResponse> GetDutyTimeline(GetDutyTimelineRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var importer = v.Jurisdiction("importer", request.Importer);
        var origin = v.Jurisdiction("origin", request.Origin);
        var hsCode = v.HsCode("hs_code", request.HsCode);
        var (start, end) = v.DateRange("start_date", request.StartDate, "end_date", request.EndDate, Timeline.MaxYears);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var view = v.View("view", request.View);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();
        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var assumptions = await ScenarioRequests.ReadAsync(request.Scenario, source.Store, knownAt, context.CancellationToken);

        // The same candidates LookupDuty reads: every measure that can apply, with all its periods; a scenario rewrites
        // this request's copy of them only.
        var enacted = await source.Store.FindTariffCandidatesAsync(importer, origin, hsCode, knownAt, context.CancellationToken);
        var (candidates, applied) = ScenarioOverlay.Apply(enacted, assumptions);
        var timeline = DutyTimeline.Resolve(candidates, importer, origin, hsCode, start, end);
        var reference = await catalog.GetAsync(
            candidates.SelectMany(m => m.SourceIds),
            timeline.Segments.SelectMany(s => DutyVariants.TruceTermIds(s.Answer)).Distinct(StringComparer.Ordinal),
            context.CancellationToken);
        var answered = Answered(knownAt, clock);
        var coverage = reference.DutyCoverage(answered, importer, origin, end.AddDays(-1));
        var (marked, unreviewed) = await HorizonAnswers.ForDutyTimelineAsync(source.Store, reference, timeline, candidates, applied, coverage.ReviewedThrough, knownAt, context.CancellationToken);
        var response = marked.ToProto(reference, coverage, answered, view);
        for (var i = 0; i < response.Segments.Count; i++) response.Segments[i].UnreviewedEvents.Add(unreviewed[i].Select(e => e.ToProto()));
        if (view == DutyView.Basic) HorizonMapping.Basic(response.Segments.SelectMany(s => s.UnreviewedEvents));
        // As in LookupDuty's BASIC view, ProductService.GetProduct describes the code.
        if (view != DutyView.Basic) response.Product = products.ProductOf(hsCode);
        response.Scenario = ScenarioRequests.ToProto(applied);
        response.ChangeToken = ChangeToken.Create(source.Position);
        response.Coverage.SnapshotTime = SnapshotTime(source, knownAt);
        response.Coverage.Hypothetical = assumptions.Count > 0;
        return response;
    }

    public override async Task<GetTariffMeasureResponse> GetTariffMeasure(GetTariffMeasureRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var measure = await source.Store.GetTariffMeasureAsync(id, knownAt, context.CancellationToken) ?? throw new ResourceNotFoundException("tariff measure", id);
        var reference = await catalog.GetAsync(measure.SourceIds, [], context.CancellationToken);
        var response = new GetTariffMeasureResponse { TariffMeasure = measure.ToProto(reference), ChangeToken = ChangeToken.Create(source.Position) };
        return response;
    }

    public override async Task<ListTariffMeasuresResponse> ListTariffMeasures(ListTariffMeasuresRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var filter = new TariffFilter(
            v.OptionalJurisdiction("importer", request.Importer),
            v.OptionalJurisdiction("origin", request.Origin),
            v.OptionalHsCode("hs_code", request.HsCode),
            v.OptionalDate("as_of", request.AsOf));
        var pageSize = v.PageSize("page_size", request.PageSize);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var page = await v.ReadPageAsync(request.PageToken, pageSize, Fingerprint(filter, knownAt),
            (after, take) => source.Store.ListTariffMeasuresAsync(filter, after, take, knownAt, context.CancellationToken));
        var reference = await catalog.GetAsync(page.Records.SelectMany(m => m.SourceIds), [], context.CancellationToken);
        var response = new ListTariffMeasuresResponse { TariffMeasures = { page.Records.Select(m => m.ToProto(reference)) }, NextPageToken = page.NextPageToken, ChangeToken = ChangeToken.Create(source.Position) };
        return response;
    }
}
