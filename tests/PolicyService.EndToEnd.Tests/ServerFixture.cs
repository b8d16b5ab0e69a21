using Google.Rpc;
using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;

namespace PolicyService.EndToEnd.Tests;

/// <summary>One real server with the seeded embedded database, shared by the tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public TariffService.TariffServiceClient Tariffs => new(Server.Channel);

    public ExportControlService.ExportControlServiceClient ExportControls => new(Server.Channel);

    public TruceService.TruceServiceClient Truces => new(Server.Channel);

    public async ValueTask InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

internal static class Calls
{
    public static Google.Type.Date Date(string iso)
    {
        var d = DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        return new Google.Type.Date { Year = d.Year, Month = d.Month, Day = d.Day };
    }

    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(10);

    /// <summary>The fields named by the BadRequest detail of a failed call.</summary>
    public static IReadOnlyList<string> ViolatedFields(this RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];

    public static ErrorInfo? ErrorInfo(this RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>();
}
