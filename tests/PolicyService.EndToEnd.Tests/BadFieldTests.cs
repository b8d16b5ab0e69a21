using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// Every request field of every read RPC, given one bad value while the rest of the request is valid: the call is
/// INVALID_ARGUMENT and its BadRequest names exactly that field (and no other). A field reported under another name,
/// or a bad value accepted, fails its row.
/// </summary>
public class BadFieldTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    // One bad value per kind of field.
    private const string BadCountry = "X1";
    private const string BadCode = "85";
    private const string BadItem = "12";
    private const string BadToken = "not-a-token";
    private static readonly Google.Type.Date BadDate = new() { Year = 2025, Month = 2, Day = 30 };

    // A day after now: the service cannot answer as it will know things tomorrow.
    private static Timestamp Tomorrow => Timestamp.FromDateTime(DateTime.UtcNow.AddDays(1));

    private static readonly Dictionary<string, Func<ServerFixture, string, Task>> Rpcs = new()
    {
        ["LookupDuty"] = (f, field) => f.Tariffs.LookupDutyAsync(Corrupt(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "850760" }, field), deadline: Deadline).ResponseAsync,
        ["GetDutyTimeline"] = (f, field) => f.Tariffs.GetDutyTimelineAsync(Corrupt(new GetDutyTimelineRequest
        {
            Importer = "US", Origin = "CN", HsCode = "850760", StartDate = Date("2025-01-01"), EndDate = Date("2025-06-01"),
        }, field), deadline: Deadline).ResponseAsync,
        ["GetTariffMeasure"] = (f, field) => f.Tariffs.GetTariffMeasureAsync(Corrupt(new GetTariffMeasureRequest { Id = "TAR-US-14" }, field), deadline: Deadline).ResponseAsync,
        ["ListTariffMeasures"] = (f, field) => f.Tariffs.ListTariffMeasuresAsync(Corrupt(new ListTariffMeasuresRequest(), field), deadline: Deadline).ResponseAsync,
        ["CheckExport"] = (f, field) => f.ExportControls.CheckExportAsync(Corrupt(new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "gallium" }, field), deadline: Deadline).ResponseAsync,
        ["GetExportTimeline"] = (f, field) => f.ExportControls.GetExportTimelineAsync(Corrupt(new GetExportTimelineRequest
        {
            Exporter = "CN", Destination = "US", Item = "gallium", StartDate = Date("2025-01-01"), EndDate = Date("2025-06-01"),
        }, field), deadline: Deadline).ResponseAsync,
        ["GetExportControl"] = (f, field) => f.ExportControls.GetExportControlAsync(Corrupt(new GetExportControlRequest { Id = "EXC-CN-01" }, field), deadline: Deadline).ResponseAsync,
        ["ListExportControls"] = (f, field) => f.ExportControls.ListExportControlsAsync(Corrupt(new ListExportControlsRequest(), field), deadline: Deadline).ResponseAsync,
        ["GetTruceStatus"] = (f, field) => f.Truces.GetTruceStatusAsync(Corrupt(new GetTruceStatusRequest { PartyA = "US", PartyB = "CN" }, field), deadline: Deadline).ResponseAsync,
        ["GetTruce"] = (f, field) => f.Truces.GetTruceAsync(Corrupt(new GetTruceRequest { Id = "TRUCE-US-CN-2025" }, field), deadline: Deadline).ResponseAsync,
        ["ListTruces"] = (f, field) => f.Truces.ListTrucesAsync(Corrupt(new ListTrucesRequest(), field), deadline: Deadline).ResponseAsync,
    };

    /// <summary>Sets <paramref name="field"/> of the request to a bad value of its kind, through the message's descriptor.</summary>
    private static T Corrupt<T>(T request, string field) where T : Google.Protobuf.IMessage
    {
        if (field.Length == 0) return request;
        var descriptor = request.Descriptor.FindFieldByName(field) ?? throw new ArgumentException($"{request.Descriptor.Name} has no field {field}");
        object value = field switch
        {
            "importer" or "origin" or "exporter" or "destination" or "party_a" or "party_b" or "party" => BadCountry,
            "hs_code" => BadCode,
            "item" => BadItem,
            "as_of" or "start_date" => BadDate,
            "end_date" => Date("2024-12-31"), // before start_date (each request that has one starts on 2025-01-01)
            "known_at" => Tomorrow,
            "view" => 99,
            "min_change_token" or "page_token" => BadToken,
            "page_size" => -1,
            "id" => " ",
            _ => throw new ArgumentException($"no bad value for {field}"),
        };
        descriptor.Accessor.SetValue(request, value);
        return request;
    }

    public static TheoryData<string, string> Fields() => new()
    {
        { "LookupDuty", "importer" }, { "LookupDuty", "origin" }, { "LookupDuty", "hs_code" }, { "LookupDuty", "as_of" },
        { "LookupDuty", "known_at" }, { "LookupDuty", "view" }, { "LookupDuty", "min_change_token" },
        { "GetDutyTimeline", "importer" }, { "GetDutyTimeline", "origin" }, { "GetDutyTimeline", "hs_code" },
        { "GetDutyTimeline", "start_date" }, { "GetDutyTimeline", "end_date" }, { "GetDutyTimeline", "known_at" },
        { "GetDutyTimeline", "view" }, { "GetDutyTimeline", "min_change_token" },
        { "GetTariffMeasure", "id" }, { "GetTariffMeasure", "known_at" }, { "GetTariffMeasure", "min_change_token" },
        { "ListTariffMeasures", "importer" }, { "ListTariffMeasures", "origin" }, { "ListTariffMeasures", "hs_code" },
        { "ListTariffMeasures", "as_of" }, { "ListTariffMeasures", "page_size" }, { "ListTariffMeasures", "page_token" },
        { "ListTariffMeasures", "known_at" }, { "ListTariffMeasures", "min_change_token" },
        { "CheckExport", "exporter" }, { "CheckExport", "destination" }, { "CheckExport", "item" }, { "CheckExport", "as_of" },
        { "CheckExport", "known_at" }, { "CheckExport", "view" }, { "CheckExport", "min_change_token" },
        { "GetExportTimeline", "exporter" }, { "GetExportTimeline", "destination" }, { "GetExportTimeline", "item" },
        { "GetExportTimeline", "start_date" }, { "GetExportTimeline", "end_date" }, { "GetExportTimeline", "known_at" },
        { "GetExportTimeline", "view" }, { "GetExportTimeline", "min_change_token" },
        { "GetExportControl", "id" }, { "GetExportControl", "known_at" }, { "GetExportControl", "min_change_token" },
        { "ListExportControls", "exporter" }, { "ListExportControls", "destination" }, { "ListExportControls", "item" },
        { "ListExportControls", "as_of" }, { "ListExportControls", "page_size" }, { "ListExportControls", "page_token" },
        { "ListExportControls", "known_at" }, { "ListExportControls", "min_change_token" },
        { "GetTruceStatus", "party_a" }, { "GetTruceStatus", "party_b" }, { "GetTruceStatus", "as_of" },
        { "GetTruceStatus", "known_at" }, { "GetTruceStatus", "view" }, { "GetTruceStatus", "min_change_token" },
        { "GetTruce", "id" }, { "GetTruce", "known_at" }, { "GetTruce", "min_change_token" },
        { "ListTruces", "party" }, { "ListTruces", "as_of" }, { "ListTruces", "page_size" }, { "ListTruces", "page_token" },
        { "ListTruces", "known_at" }, { "ListTruces", "min_change_token" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task A_bad_value_is_invalid_argument_naming_exactly_its_field(string rpc, string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Rpcs[rpc](fixture, field));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal([field], e.ViolatedFields());
        Assert.Equal("INVALID_ARGUMENT", e.ErrorInfo()?.Reason);
    }

    [Theory]
    [InlineData("LookupDuty")]
    [InlineData("GetDutyTimeline")]
    [InlineData("GetTariffMeasure")]
    [InlineData("ListTariffMeasures")]
    [InlineData("CheckExport")]
    [InlineData("GetExportTimeline")]
    [InlineData("GetExportControl")]
    [InlineData("ListExportControls")]
    [InlineData("GetTruceStatus")]
    [InlineData("GetTruce")]
    [InlineData("ListTruces")]
    public async Task The_valid_request_each_row_starts_from_is_answered(string rpc) =>
        await Rpcs[rpc](fixture, "");

    /// <summary>Every field of each request message is in <see cref="Fields"/>, but the scenario (tested on its own).</summary>
    [Fact]
    public void The_table_covers_every_scalar_field_of_every_read_request()
    {
        var messages = new Google.Protobuf.Reflection.MessageDescriptor[]
        {
            LookupDutyRequest.Descriptor, GetDutyTimelineRequest.Descriptor, GetTariffMeasureRequest.Descriptor, ListTariffMeasuresRequest.Descriptor,
            CheckExportRequest.Descriptor, GetExportTimelineRequest.Descriptor, GetExportControlRequest.Descriptor, ListExportControlsRequest.Descriptor,
            GetTruceStatusRequest.Descriptor, GetTruceRequest.Descriptor, ListTrucesRequest.Descriptor,
        };
        var declared = messages.SelectMany(m => m.Fields.InDeclarationOrder().Where(f => f.Name != "scenario")
            .Select(f => $"{m.Name[..^"Request".Length]}.{f.Name}")).Order(StringComparer.Ordinal);
        var tested = Fields().Select(row => $"{row.Data.Item1}.{row.Data.Item2}").Order(StringComparer.Ordinal);
        Assert.Equal(declared, tested);
    }
}
