using Grpc.Core;
using Grpc.Health.V1;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

public class AvailabilityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("")]
    [InlineData("liveness")]
    [InlineData("readiness")]
    public async Task Health_reports_serving_for_overall_liveness_and_readiness(string service)
    {
        var response = await new Health.HealthClient(fixture.Server.Channel).CheckAsync(new HealthCheckRequest { Service = service }, deadline: Deadline);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Server_reflection_lists_the_services()
    {
        var client = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(fixture.Server.Channel);
        using var call = client.ServerReflectionInfo(deadline: Deadline);
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("tradepolicy.v1.TariffService", services);
        Assert.Contains("tradepolicy.v1.ExportControlService", services);
        Assert.Contains("tradepolicy.v1.TruceService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task An_unreachable_database_means_unavailable_and_not_ready_while_alive()
    {
        // SQL Server on loopback port 1, where nothing listens: the server starts, but cannot reach its database.
        await using var server = await ServerProcess.StartAsync(
            [
                new("Storage:Provider", "SqlServer"),
                new("ConnectionStrings:Policy", "Server=tcp:127.0.0.1,1;Database=policy;User Id=u;Password=p;Connect Timeout=2;Encrypt=false"),
            ],
            waitForReady: false, ct: TestContext.Current.CancellationToken);

        var health = new Health.HealthClient(server.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" }, deadline: Deadline)).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            (await health.CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: Deadline)).Status);

        var e = await Assert.ThrowsAsync<RpcException>(() => new TariffService.TariffServiceClient(server.Channel)
            .LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "850760" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("DATABASE_UNAVAILABLE", e.ErrorInfo()?.Reason);
    }
}
