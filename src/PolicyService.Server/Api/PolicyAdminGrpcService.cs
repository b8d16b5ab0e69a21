using System.Security.Claims;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PolicyService.Server.Changes;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using D = PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>Records changes. Every call needs the editor role; who made a change is the authenticated subject.</summary>
[Authorize(Policy = Authentication.EditorPolicy)]
public sealed class PolicyAdminGrpcService(IPolicyStore store, ReferenceCatalog catalog, ChangePlanner planner) : PolicyAdminService.PolicyAdminServiceBase
{
    public override async Task<CreateTariffMeasureResponse> CreateTariffMeasure(CreateTariffMeasureRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var measure = reader.Read(request.TariffMeasure ?? Required<TariffMeasure>(v, "tariff_measure"), "tariff_measure");
        var written = await WriteAsync(context, request.Reason, v, reader, new CreateRecord(measure, "tariff_measure"));
        return new CreateTariffMeasureResponse { TariffMeasure = await ReadTariffAsync(written, context) };
    }

    public override async Task<UpdateTariffMeasureResponse> UpdateTariffMeasure(UpdateTariffMeasureRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var measure = reader.Read(request.TariffMeasure ?? Required<TariffMeasure>(v, "tariff_measure"), "tariff_measure");
        var written = await WriteAsync(context, request.Reason, v, reader, new UpdateRecord(measure, request.Etag, "etag", "tariff_measure"));
        return new UpdateTariffMeasureResponse { TariffMeasure = await ReadTariffAsync(written, context) };
    }

    public override async Task<CreateExportControlResponse> CreateExportControl(CreateExportControlRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var control = reader.Read(request.ExportControl ?? Required<ExportControl>(v, "export_control"), "export_control");
        var written = await WriteAsync(context, request.Reason, v, reader, new CreateRecord(control, "export_control"));
        return new CreateExportControlResponse { ExportControl = await ReadControlAsync(written, context) };
    }

    public override async Task<UpdateExportControlResponse> UpdateExportControl(UpdateExportControlRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var control = reader.Read(request.ExportControl ?? Required<ExportControl>(v, "export_control"), "export_control");
        var written = await WriteAsync(context, request.Reason, v, reader, new UpdateRecord(control, request.Etag, "etag", "export_control"));
        return new UpdateExportControlResponse { ExportControl = await ReadControlAsync(written, context) };
    }

    public override async Task<CreateTruceResponse> CreateTruce(CreateTruceRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var truce = reader.Read(request.Truce ?? Required<Truce>(v, "truce"), "truce");
        var written = await WriteAsync(context, request.Reason, v, reader, new CreateRecord(truce, "truce"));
        return new CreateTruceResponse { Truce = await ReadTruceAsync(written, context) };
    }

    public override async Task<UpdateTruceResponse> UpdateTruce(UpdateTruceRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var truce = reader.Read(request.Truce ?? Required<Truce>(v, "truce"), "truce");
        var written = await WriteAsync(context, request.Reason, v, reader, new UpdateRecord(truce, request.Etag, "etag", "truce"));
        return new UpdateTruceResponse { Truce = await ReadTruceAsync(written, context) };
    }

    public override async Task<RecordStatusChangeResponse> RecordStatusChange(RecordStatusChangeRequest request, ServerCallContext context)
    {
        var (v, reader) = Start();
        var change = request.StatusChange ?? Required<StatusChange>(v, "status_change");
        var status = new RequestedStatusChange(reader.Read(change, "status_change"), reader.StatusSources(change, "status_change"),
            string.IsNullOrWhiteSpace(change.Etag) ? null : change.Etag.Trim(), "status_change");
        if (change.Sources.Count == 0) v.Fail("status_change.sources", "at least one source is required");
        var written = await WriteAsync(context, request.Reason, v, reader, status);
        return written.ResourceType == PolicyStore.TariffMeasureType
            ? new RecordStatusChangeResponse { TariffMeasure = await ReadTariffAsync(written, context) }
            : new RecordStatusChangeResponse { ExportControl = await ReadControlAsync(written, context) };
    }

    public override async Task ImportChanges(ImportChangesRequest request, IServerStreamWriter<ImportChangesResponse> responseStream, ServerCallContext context)
    {
        var (v, reader) = Start();
        if (string.IsNullOrWhiteSpace(request.RequestId)) v.Fail("request_id", "is required: a client-chosen id that makes a retry safe");
        if (request.Changes.Count == 0) v.Fail("changes", "is empty");
        foreach (var (source, i) in request.Sources.Select((s, i) => (s, i)))
        {
            if (string.IsNullOrWhiteSpace(source.Id) || string.IsNullOrWhiteSpace(source.Title)) v.Fail($"sources[{i}]", "needs an id and a title");
            else reader.NewSources.Add(new D.Source(source.Id.Trim(), source.Title, [.. source.Urls]));
        }
        var requested = request.Changes.Select((c, i) => ToRequested(c, $"changes[{i}]", v, reader)).OfType<RequestedChange>().ToList();
        var reviewed = v.OptionalDate("reviewed_through", request.ReviewedThrough);
        v.ThrowIfInvalid();
        // A retry of a committed import answers with the first result, before anything is re-validated against newer data.
        if (await store.FindRequestAsync(request.RequestId.Trim(), context.CancellationToken) is { } committed)
        {
            await responseStream.WriteAsync(Result(request.RequestId.Trim(), committed), context.CancellationToken);
            return;
        }
        await responseStream.WriteAsync(Progress("validating", 0, requested.Count), context.CancellationToken);

        var set = await planner.PlanAsync(Context(context, request.Reason, request.RequestId.Trim()), requested, Distinct(reader.NewSources),
            reviewed, v, context.CancellationToken);

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
        var result = await apply;
        await catalog.ReloadAsync(context.CancellationToken);

        await responseStream.WriteAsync(Result(request.RequestId.Trim(), result), context.CancellationToken);
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

    public override async Task<GetHistoryResponse> GetHistory(GetHistoryRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var id = v.Id("id", request.Id);
        v.ThrowIfInvalid();
        var tariffs = await store.GetTariffMeasureHistoryAsync(id, context.CancellationToken);
        var controls = tariffs.Count > 0 ? [] : await store.GetExportControlHistoryAsync(id, context.CancellationToken);
        if (tariffs.Count == 0 && controls.Count == 0) throw new ResourceNotFoundException("tariff measure or export control", id);
        var reference = await catalog.GetAsync(tariffs.SelectMany(m => m.SourceIds).Concat(controls.SelectMany(c => c.SourceIds)), [], context.CancellationToken);
        return new GetHistoryResponse
        {
            TariffMeasureVersions = { tariffs.Select(m => m.ToProto(reference)) },
            ExportControlVersions = { controls.Select(c => c.ToProto(reference)) },
        };
    }

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

    internal static RequestedChange? ToRequested(PolicyChange change, string path, RequestValidation v, ProtoReader reader)
    {
        string At(string field) => $"{path}.{field}";
        switch (change.ChangeCase)
        {
            case PolicyChange.ChangeOneofCase.CreateTariffMeasure:
                return new CreateRecord(reader.Read(change.CreateTariffMeasure, At("create_tariff_measure")), At("create_tariff_measure"));
            case PolicyChange.ChangeOneofCase.UpdateTariffMeasure:
                return new UpdateRecord(reader.Read(change.UpdateTariffMeasure, At("update_tariff_measure")), change.Etag, At("etag"), At("update_tariff_measure"));
            case PolicyChange.ChangeOneofCase.CreateExportControl:
                return new CreateRecord(reader.Read(change.CreateExportControl, At("create_export_control")), At("create_export_control"));
            case PolicyChange.ChangeOneofCase.UpdateExportControl:
                return new UpdateRecord(reader.Read(change.UpdateExportControl, At("update_export_control")), change.Etag, At("etag"), At("update_export_control"));
            case PolicyChange.ChangeOneofCase.CreateTruce:
                return new CreateRecord(reader.Read(change.CreateTruce, At("create_truce")), At("create_truce"));
            case PolicyChange.ChangeOneofCase.UpdateTruce:
                return new UpdateRecord(reader.Read(change.UpdateTruce, At("update_truce")), change.Etag, At("etag"), At("update_truce"));
            case PolicyChange.ChangeOneofCase.StatusChange:
                var status = change.StatusChange;
                if (status.Sources.Count == 0) v.Fail(At("status_change.sources"), "at least one source is required");
                return new RequestedStatusChange(reader.Read(status, At("status_change")), reader.StatusSources(status, At("status_change")),
                    string.IsNullOrWhiteSpace(change.Etag) ? null : change.Etag.Trim(), At("status_change"));
            default:
                v.Fail(path, "names no change");
                return null;
        }
    }

    private async Task<StoredVersion> WriteAsync(ServerCallContext context, string reason, RequestValidation v, ProtoReader reader, RequestedChange change)
    {
        var set = await planner.PlanAsync(Context(context, reason, ""), [change], Distinct(reader.NewSources), null, v, context.CancellationToken);
        var result = await store.ApplyAsync(set, context.CancellationToken);
        await catalog.ReloadAsync(context.CancellationToken);
        return result.Records.Single();
    }

    private async Task<TariffMeasure> ReadTariffAsync(StoredVersion written, ServerCallContext context)
    {
        var measure = (await store.GetTariffMeasureAsync(written.ResourceId, DateTime.MaxValue, context.CancellationToken))!;
        return measure.ToProto(await catalog.GetAsync(measure.SourceIds, [], context.CancellationToken));
    }

    private async Task<ExportControl> ReadControlAsync(StoredVersion written, ServerCallContext context)
    {
        var control = (await store.GetExportControlAsync(written.ResourceId, DateTime.MaxValue, context.CancellationToken))!;
        return control.ToProto(await catalog.GetAsync(control.SourceIds, [], context.CancellationToken));
    }

    private async Task<Truce> ReadTruceAsync(StoredVersion written, ServerCallContext context)
    {
        var truce = (await store.GetTruceAsync(written.ResourceId, DateTime.MaxValue, context.CancellationToken))!;
        return truce.ToProto(await catalog.GetAsync(context.CancellationToken));
    }

    private static ChangeContext Context(ServerCallContext context, string reason, string requestId) =>
        new(Authentication.Subject(context.GetHttpContext().User), reason.Trim(), requestId);

    private static List<D.Source> Distinct(IEnumerable<D.Source> sources) => [.. sources.DistinctBy(s => s.Id)];

    private static ImportChangesResponse Progress(string phase, int done, int total) =>
        new() { Progress = new ImportProgress { Phase = phase, Done = done, Total = total } };
}
