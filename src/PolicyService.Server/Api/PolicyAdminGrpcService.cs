using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PolicyService.Server.Changes;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using D = PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>
/// Records changes. Every call needs the editor role; who made a change is the authenticated subject. Once a change has
/// committed, the answer is built from what was written: nothing read afterwards can turn a committed write into an error.
/// </summary>
[Authorize(Policy = Callers.EditorPolicy)]
public sealed partial class PolicyAdminGrpcService(IPolicyStore store, ReferenceCatalog catalog, ChangePlanner planner, ILogger<PolicyAdminGrpcService> logger)
    : PolicyAdminService.PolicyAdminServiceBase
{
    /// <summary>A status change sent without an etag is planned again this many times when another write commits first.</summary>
    private const int StatusChangeAttempts = 3;

    public override async Task<CreateTariffMeasureResponse> CreateTariffMeasure(CreateTariffMeasureRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var measure = reader.Read(request.TariffMeasure ?? Required<TariffMeasure>(v, "tariff_measure"), "tariff_measure");
        var (written, reference, position) = await WriteAsync(context, request.Reason, v, reader, () => new CreateRecord(measure, "tariff_measure"));
        return new CreateTariffMeasureResponse { TariffMeasure = ((D.TariffMeasure)written).ToProto(reference), ChangeToken = ChangeToken.Create(position) };
    }

    public override async Task<UpdateTariffMeasureResponse> UpdateTariffMeasure(UpdateTariffMeasureRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var measure = reader.Read(request.TariffMeasure ?? Required<TariffMeasure>(v, "tariff_measure"), "tariff_measure");
        var (written, reference, position) = await WriteAsync(context, request.Reason, v, reader, () => new UpdateRecord(measure, request.Etag, "etag", "tariff_measure"));
        return new UpdateTariffMeasureResponse { TariffMeasure = ((D.TariffMeasure)written).ToProto(reference), ChangeToken = ChangeToken.Create(position) };
    }

    public override async Task<CreateExportControlResponse> CreateExportControl(CreateExportControlRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var control = reader.Read(request.ExportControl ?? Required<ExportControl>(v, "export_control"), "export_control");
        var (written, reference, position) = await WriteAsync(context, request.Reason, v, reader, () => new CreateRecord(control, "export_control"));
        return new CreateExportControlResponse { ExportControl = ((D.ExportControl)written).ToProto(reference), ChangeToken = ChangeToken.Create(position) };
    }

    public override async Task<UpdateExportControlResponse> UpdateExportControl(UpdateExportControlRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var control = reader.Read(request.ExportControl ?? Required<ExportControl>(v, "export_control"), "export_control");
        var (written, reference, position) = await WriteAsync(context, request.Reason, v, reader, () => new UpdateRecord(control, request.Etag, "etag", "export_control"));
        return new UpdateExportControlResponse { ExportControl = ((D.ExportControl)written).ToProto(reference), ChangeToken = ChangeToken.Create(position) };
    }

    public override async Task<CreateTruceResponse> CreateTruce(CreateTruceRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var truce = reader.Read(request.Truce ?? Required<Truce>(v, "truce"), "truce");
        var (written, reference, position) = await WriteAsync(context, request.Reason, v, reader, () => new CreateRecord(truce, "truce"));
        return new CreateTruceResponse { Truce = ((D.Truce)written).ToProto(reference), ChangeToken = ChangeToken.Create(position) };
    }

    public override async Task<UpdateTruceResponse> UpdateTruce(UpdateTruceRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var truce = reader.Read(request.Truce ?? Required<Truce>(v, "truce"), "truce");
        var (written, reference, position) = await WriteAsync(context, request.Reason, v, reader, () => new UpdateRecord(truce, request.Etag, "etag", "truce"));
        return new UpdateTruceResponse { Truce = ((D.Truce)written).ToProto(reference), ChangeToken = ChangeToken.Create(position) };
    }

    public override async Task<RecordStatusChangeResponse> RecordStatusChange(RecordStatusChangeRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var change = request.StatusChange ?? Required<StatusChange>(v, "status_change");
        var status = reader.ReadStatusChange(change, change.Etag, "status_change");
        var attempts = status.Etag is null ? StatusChangeAttempts : 1;
        var (written, reference, position) = await WriteAsync(context, request.Reason, v, reader, () => status, attempts);
        return written switch
        {
            D.TariffMeasure m => new RecordStatusChangeResponse { TariffMeasure = m.ToProto(reference), ChangeToken = ChangeToken.Create(position) },
            _ => new RecordStatusChangeResponse { ExportControl = ((D.ExportControl)written).ToProto(reference), ChangeToken = ChangeToken.Create(position) },
        };
    }

    public override async Task ImportChanges(ImportChangesRequest request, IServerStreamWriter<ImportChangesResponse> responseStream, ServerCallContext context)
    {
        var (v, reader) = Start();
        if (string.IsNullOrWhiteSpace(request.RequestId)) v.Fail("request_id", "is required: a client-chosen id that makes a retry safe");
        if (request.Changes.Count == 0 && request.Coverage is null) v.Fail("changes", "is empty");
        var (requested, reviewed, coverage) = reader.Read(request);
        v.ThrowIfInvalid();
        // A retry of a committed import answers with the first result, before anything is re-validated against newer data.
        if (await store.FindRequestAsync(request.RequestId.Trim(), context.CancellationToken) is { } committed)
        {
            await responseStream.WriteAsync(Result(request.RequestId.Trim(), committed), context.CancellationToken);
            return;
        }
        await responseStream.WriteAsync(Progress("validating", 0, requested.Count), context.CancellationToken);

        var set = await planner.PlanAsync(Context(context, request.Reason, request.RequestId.Trim()), requested, Distinct(reader.NewSources),
            reviewed, v, context.CancellationToken) with { Coverage = coverage };

        // The store reports each record written; a bounded channel carries the reports to the stream without blocking the transaction.
        var progress = Channel.CreateBounded<int>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var apply = Task.Run(async () =>
        {
            try
            {
                return await store.ApplyAsync(set, context.CancellationToken, n => progress.Writer.TryWrite(n));
            }
            finally
            {
                progress.Writer.Complete();
            }
        });
        await foreach (var done in progress.Reader.ReadAllAsync(context.CancellationToken))
            await responseStream.WriteAsync(Progress("writing", done, set.Changes.Count), context.CancellationToken);
        // The store returns once this process's snapshot shows the commit; the refresher reloaded the catalog with it.
        var result = await apply;

        await responseStream.WriteAsync(Result(request.RequestId.Trim(), result), context.CancellationToken);
    }

    public override async Task<UpdateCoverageResponse> UpdateCoverage(UpdateCoverageRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var model = reader.Read(request.Coverage ?? Required<DataCoverage>(v, "coverage"), "coverage");
        if (string.IsNullOrWhiteSpace(request.Etag)) v.Fail("etag", "is required: the etag of the version you edited (GetCoverage)");
        var set = await planner.PlanAsync(Context(context, request.Reason, ""), [], [], null, v, context.CancellationToken)
            with { Coverage = new CoverageChange(model, request.Etag.Trim()) };
        var result = await store.ApplyAsync(set, context.CancellationToken);
        var written = model with { Recorded = new D.RecordInfo(result.Records.Single().Version, result.RecordedTime, set.Context.RecordedBy, set.Context.Reason) };
        var reference = await RefreshCatalogAsync(set, context.CancellationToken);
        return new UpdateCoverageResponse
        {
            Coverage = written.ToProto(reference.ReviewedThrough(result.RecordedTime)),
            ChangeToken = ChangeToken.Create(result.LastSeq),
        };
    }

    public override async Task<GetHistoryResponse> GetHistory(GetHistoryRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        v.ThrowIfInvalid();
        var tariffs = await store.GetTariffMeasureHistoryAsync(id, context.CancellationToken);
        var controls = tariffs.Count > 0 ? [] : await store.GetExportControlHistoryAsync(id, context.CancellationToken);
        if (tariffs.Count == 0 && controls.Count == 0) throw new D.ResourceNotFoundException("tariff measure or export control", id);
        var reference = await catalog.GetAsync(tariffs.SelectMany(m => m.SourceIds).Concat(controls.SelectMany(c => c.SourceIds)), [], context.CancellationToken);
        return new GetHistoryResponse
        {
            TariffMeasureVersions = { tariffs.Select(m => m.ToProto(reference)) },
            ExportControlVersions = { controls.Select(c => c.ToProto(reference)) },
        };
    }

    /// <summary>
    /// Plans and commits one change; the answer is the record as written. A status change without an etag that loses a
    /// race to another write is planned again from the newer version (up to <paramref name="attempts"/> times).
    /// </summary>
    private async Task<(D.IPolicyRecord Written, ReferenceData Reference, long Position)> WriteAsync(ServerCallContext context, string reason,
        RequestValidation v, ProtoReader reader, Func<RequestedChange> change, int attempts = 1)
    {
        for (var attempt = 1; ; attempt++)
        {
            var set = await planner.PlanAsync(Context(context, reason, ""), [change()], Distinct(reader.NewSources), null, v, context.CancellationToken);
            ChangeResult result;
            try
            {
                result = await store.ApplyAsync(set, context.CancellationToken);
            }
            catch (D.ConcurrencyConflictException) when (attempt < attempts)
            {
                continue;
            }
            var stored = result.Records.Single();
            var written = set.Changes.Single().Record;
            var info = new D.RecordInfo(stored.Version, result.RecordedTime, set.Context.RecordedBy, set.Context.Reason);
            return (written switch
            {
                D.TariffMeasure m => m with { Recorded = info },
                D.ExportControl c => c with { Recorded = info },
                D.Truce t => t with { Recorded = info },
                _ => written,
            }, await RefreshCatalogAsync(set, context.CancellationToken), result.LastSeq);
        }
    }

    /// <summary>
    /// The reference catalog with the commit's sources: the snapshot refresher has normally reloaded it with the commit,
    /// so this reloads only when it has not. A failure here must not fail a write that has committed: the answer then
    /// uses the cached catalog plus the sources this change set added, and the refresher catches up later.
    /// </summary>
    private async Task<ReferenceData> RefreshCatalogAsync(ChangeSet set, CancellationToken ct)
    {
        try
        {
            return await catalog.GetAsync(set.Sources.Select(s => s.Id), [], ct);
        }
        catch (D.StoreUnavailableException e) when (catalog.Current is { } cached)
        {
            LogCatalogBehind(logger, e);
            return cached.WithSources(set.Sources);
        }
    }

    private static ImportChangesResponse Result(string requestId, ChangeResult result) => new()
    {
        Result = new ImportResult
        {
            RequestId = requestId,
            FirstSequence = result.FirstSeq,
            LastSequence = result.LastSeq,
            RecordedTime = result.RecordedTime.ToTimestamp(),
            Replayed = result.Replayed,
            ChangeToken = ChangeToken.Create(result.LastSeq),
            Records =
            {
                result.Records.Select(r => new WrittenRecord
                {
                    ResourceType = r.ResourceType, Id = r.ResourceId, Version = r.Version,
                    Etag = r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        },
    };

    private static (RequestValidation, ProtoReader) Start()
    {
        var v = new RequestValidation();
        return (v, new ProtoReader(v));
    }

    private static T Required<T>(RequestValidation v, string field) where T : Google.Protobuf.IMessage, new()
    {
        v.Fail(field, "is required");
        return new T();
    }

    private static ChangeContext Context(ServerCallContext context, string reason, string requestId) =>
        new(Callers.Subject(context.GetHttpContext().User), reason.Trim(), requestId);

    private static List<D.Source> Distinct(IEnumerable<D.Source> sources) => [.. sources.DistinctBy(s => s.Id)];

    private static ImportChangesResponse Progress(string phase, int done, int total) =>
        new() { Progress = new ImportProgress { Phase = phase, Done = done, Total = total } };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change committed but the reference catalog could not be reloaded; answering from the cached catalog.")]
    private static partial void LogCatalogBehind(ILogger logger, Exception exception);
}
