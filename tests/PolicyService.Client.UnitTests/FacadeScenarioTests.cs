using Google.Protobuf;
using Grpc.Core;
using TradePolicy.V1;

namespace PolicyService.Client.UnitTests;

/// <summary>The facade's lookups carry a what-if to the server unchanged, and none when the caller gives none.</summary>
public class FacadeScenarioTests
{
    /// <summary>Keeps the request of each unary call and answers it with an empty response.</summary>
    private sealed class RecordingInvoker : CallInvoker
    {
        public List<IMessage> Requests { get; } = [];

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            Requests.Add((IMessage)request);
            var response = Activator.CreateInstance<TResponse>();
            return new AsyncUnaryCall<TResponse>(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();
    }

    private static readonly Scenario TruceLapses = new()
    {
        Assumptions =
        {
            new ScenarioAssumption { TruceLapses = new TruceLapse { TruceId = "TRU-US-CN-2025", OnDate = new Google.Type.Date { Year = 2026, Month = 3, Day = 1 } } },
        },
    };

    private static (PolicyServiceClient Client, RecordingInvoker Invoker) Facade()
    {
        var invoker = new RecordingInvoker();
        return (new PolicyServiceClient(new TariffService.TariffServiceClient(invoker), new ExportControlService.ExportControlServiceClient(invoker),
            new TruceService.TruceServiceClient(invoker)), invoker);
    }

    [Fact]
    public async Task A_duty_lookup_sends_the_scenario_it_is_given()
    {
        var (client, invoker) = Facade();
        await client.LookupDutyAsync("US", "CN", "850760", new DateOnly(2026, 6, 1), scenario: TruceLapses, cancellationToken: TestContext.Current.CancellationToken);

        var sent = Assert.IsType<LookupDutyRequest>(Assert.Single(invoker.Requests));
        Assert.Equal(TruceLapses, sent.Scenario);
        Assert.Equal(("US", "CN", "850760", 2026), (sent.Importer, sent.Origin, sent.HsCode, sent.AsOf.Year));
    }

    [Fact]
    public async Task An_export_check_sends_the_scenario_it_is_given()
    {
        var (client, invoker) = Facade();
        await client.CheckExportAsync("CN", "US", "gallium", scenario: TruceLapses, cancellationToken: TestContext.Current.CancellationToken);

        var sent = Assert.IsType<CheckExportRequest>(Assert.Single(invoker.Requests));
        Assert.Equal(TruceLapses, sent.Scenario);
        Assert.Equal("gallium", sent.Item);
    }

    [Fact]
    public async Task Without_a_scenario_the_lookups_ask_about_the_enacted_data()
    {
        var (client, invoker) = Facade();
        await client.LookupDutyAsync("US", "CN", "850760", cancellationToken: TestContext.Current.CancellationToken);
        await client.CheckExportAsync("CN", "US", "gallium", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(Assert.IsType<LookupDutyRequest>(invoker.Requests[0]).Scenario);
        Assert.Null(Assert.IsType<CheckExportRequest>(invoker.Requests[1]).Scenario);
    }
}
