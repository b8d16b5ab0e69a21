using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>The admin server (JWT auth configured, lookups open) with its JSON port too.</summary>
public sealed class HiddenIdentityFixture : AdminFixture
{
    public int HttpPort { get; } = FreePort();

    protected override IEnumerable<KeyValuePair<string, string>> ServerSettings =>
        [.. base.ServerSettings, new("HttpApi:Url", $"http://127.0.0.1:{HttpPort}")];

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>
/// With authentication configured, who recorded a version and why reach readers only: every read RPC of every service
/// (found from the protos, so a new one cannot be left out) is called anonymously and its answer searched at any depth.
/// </summary>
public class HiddenIdentityTests(HiddenIdentityFixture fixture) : IClassFixture<HiddenIdentityFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly FileDescriptor[] Files =
    [
        TariffReflection.Descriptor, ExportControlReflection.Descriptor, TruceReflection.Descriptor, SourceReflection.Descriptor,
        CoverageReflection.Descriptor, CalendarReflection.Descriptor, ProductReflection.Descriptor, AdminReflection.Descriptor,
    ];

    private static readonly Google.Type.Date From = Date("2025-01-01"), To = Date("2027-01-01");

    /// <summary>A request for each read RPC that answers with data (the seed's records, all recorded by "seed").</summary>
    private static readonly Dictionary<string, IMessage> Requests = new()
    {
        ["tradepolicy.v1.TariffService.LookupDuty"] = new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "850760" },
        ["tradepolicy.v1.TariffService.GetTariffMeasure"] = new GetTariffMeasureRequest { Id = "TAR-US-06.2" },
        ["tradepolicy.v1.TariffService.ListTariffMeasures"] = new ListTariffMeasuresRequest { PageSize = 1000 },
        ["tradepolicy.v1.TariffService.GetDutyTimeline"] = new GetDutyTimelineRequest { Importer = "US", Origin = "CN", HsCode = "850760", StartDate = From, EndDate = To },
        ["tradepolicy.v1.ExportControlService.CheckExport"] = new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "gallium" },
        ["tradepolicy.v1.ExportControlService.GetExportControl"] = new GetExportControlRequest { Id = "EXC-CN-01" },
        ["tradepolicy.v1.ExportControlService.ListExportControls"] = new ListExportControlsRequest { PageSize = 1000 },
        ["tradepolicy.v1.ExportControlService.GetExportTimeline"] = new GetExportTimelineRequest { Exporter = "CN", Destination = "US", Item = "gallium", StartDate = From, EndDate = To },
        ["tradepolicy.v1.TruceService.GetTruceStatus"] = new GetTruceStatusRequest { PartyA = "US", PartyB = "CN", AsOf = Date("2026-01-15") },
        ["tradepolicy.v1.TruceService.GetTruce"] = new GetTruceRequest { Id = "TRUCE-US-CN-2025" },
        ["tradepolicy.v1.TruceService.ListTruces"] = new ListTrucesRequest(),
        ["tradepolicy.v1.SourceService.GetSource"] = new GetSourceRequest { Id = "S01" },
        ["tradepolicy.v1.SourceService.ListSources"] = new ListSourcesRequest(),
        ["tradepolicy.v1.CoverageService.GetCoverage"] = new GetCoverageRequest(),
        ["tradepolicy.v1.CalendarService.ListScheduledChanges"] = new ListScheduledChangesRequest { StartDate = From, EndDate = To },
        ["tradepolicy.v1.ProductService.GetProduct"] = new GetProductRequest { HsCode = "850760" },
        ["tradepolicy.v1.ProductService.SearchProducts"] = new SearchProductsRequest { Query = "batteries" },
        ["tradepolicy.v1.ChangeFeedService.WatchChanges"] = new WatchChangesRequest(),
    };

    /// <summary>Every RPC of the API but the admin service's writes (an editor's, who may see the identities anyway).</summary>
    private static IEnumerable<MethodDescriptor> ReadMethods =>
        Files.SelectMany(f => f.Services).Where(s => s.Name != "PolicyAdminService").SelectMany(s => s.Methods);

    [Fact]
    public void Every_read_rpc_has_a_request_here() =>
        Assert.Empty(ReadMethods.Select(m => m.FullName).Except(Requests.Keys));

    [Fact]
    public async Task No_read_rpc_shows_an_anonymous_caller_who_recorded_a_version_or_why()
    {
        var anonymous = new List<string>();
        var reader = new List<string>();
        foreach (var method in ReadMethods)
        {
            foreach (var answer in await CallAsync(method, Requests[method.FullName], null)) anonymous.AddRange(Identities(answer, method.Name));
            foreach (var answer in await CallAsync(method, Requests[method.FullName], fixture.Reader())) reader.AddRange(Identities(answer, method.Name));
        }

        Assert.Empty(anonymous);
        // The search can find them: a reader sees them in the records, the truce status and the change feed.
        Assert.Contains(reader, found => found.StartsWith("GetTruceStatus:", StringComparison.Ordinal));
        Assert.Contains(reader, found => found.StartsWith("GetTariffMeasure:", StringComparison.Ordinal));
        Assert.Contains(reader, found => found.StartsWith("WatchChanges:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_json_truce_status_hides_them_from_an_anonymous_caller_and_shows_them_to_a_reader()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        const string body = """{"partyA":"US","partyB":"CN","asOf":{"year":2026,"month":1,"day":15}}""";

        using var anonymous = await http.PostAsync("/v1/truces:status", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var anonymousText = await anonymous.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Contains("TRUCE-US-CN-2025", anonymousText, StringComparison.Ordinal);
        // The JSON API writes empty fields too: each recorded_by is there, and empty.
        Assert.Contains("\"recordedBy\":\"\"", anonymousText, StringComparison.Ordinal);
        Assert.DoesNotMatch("\"recordedBy\":\"[^\"]", anonymousText);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/truces:status") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Credentials.Token("reader-2", [PolicyService.Testing.TestCredentials.Reader]));
        using var asReader = await http.SendAsync(request, Ct);
        Assert.Contains("\"recordedBy\":\"seed\"", (await asReader.Content.ReadAsStringAsync(Ct)).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    /// <summary>Calls any RPC by its descriptor: the answer of a unary call, or the first changes of a stream.</summary>
    private async Task<List<IMessage>> CallAsync(MethodDescriptor method, IMessage request, Metadata? headers)
    {
        var rpc = new Method<IMessage, IMessage>(method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary, method.Service.FullName, method.Name,
            Marshallers.Create(m => m.ToByteArray(), method.InputType.Parser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), method.OutputType.Parser.ParseFrom));
        var invoker = fixture.Server.Channel.CreateCallInvoker();
        if (!method.IsServerStreaming)
            return [await invoker.AsyncUnaryCall(rpc, null, new CallOptions(headers, Deadline, Ct), request)];

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        using var call = invoker.AsyncServerStreamingCall(rpc, null, new CallOptions(headers, cancellationToken: cts.Token), request);
        var received = new List<IMessage>();
        while (received.Count < 5 && await call.ResponseStream.MoveNext(cts.Token)) received.Add(call.ResponseStream.Current);
        return received;
    }

    /// <summary>Every non-empty recorded_by or reason of a record or change event in the message, at any depth.</summary>
    private static IEnumerable<string> Identities(IMessage message, string rpc)
    {
        if (message is RecordInfo info)
            return new[] { info.RecordedBy, info.Reason }.Where(v => v.Length > 0).Select(v => $"{rpc}: {v}");
        if (message is PolicyChangeEvent change)
            return new[] { change.RecordedBy, change.Reason }.Where(v => v.Length > 0).Select(v => $"{rpc}: {v}");
        return message.Descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.Message).SelectMany(f => f.Accessor.GetValue(message) switch
        {
            System.Collections.IDictionary map => map.Values.OfType<IMessage>(),
            System.Collections.IEnumerable list and not IMessage => list.OfType<IMessage>(),
            IMessage nested => [nested],
            _ => [],
        }).SelectMany(nested => Identities(nested, rpc));
    }
}
