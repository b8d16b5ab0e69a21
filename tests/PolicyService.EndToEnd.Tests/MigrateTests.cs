using Grpc.Core;
using Grpc.Health.V1;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>The server's <c>migrate</c> command as a release runs it, on every storage provider.</summary>
public class MigrateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Require(StorageProvider provider) =>
        Assert.SkipWhen(TestDatabase.SkipReason(provider) is not null, TestDatabase.SkipReason(provider) ?? "");

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    public async Task Migrate_run_twice_applies_and_seeds_once_then_finds_nothing_to_do(StorageProvider provider)
    {
        Require(provider);
        await using var database = await TestDatabase.CreateAsync(provider, Ct);
        var first = await database.RunMigrateAsync(Ct);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Seed loaded", first.Output, StringComparison.Ordinal);
        var second = await database.RunMigrateAsync(Ct);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("(0 migrations applied now)", second.Output, StringComparison.Ordinal);
        Assert.Contains("seed not applied", second.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    public async Task Migrate_run_twice_at_once_on_an_empty_database_succeeds_both_times_and_seeds_once(StorageProvider provider)
    {
        Require(provider);
        await using var database = await TestDatabase.CreateAsync(provider, Ct);
        var runs = await Task.WhenAll(database.RunMigrateAsync(Ct), database.RunMigrateAsync(Ct));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.Single(runs, r => r.Output.Contains("Seed loaded", StringComparison.Ordinal));
        Assert.Single(runs, r => r.Output.Contains("Change document us-china-2026-update.changes.json applied", StringComparison.Ordinal));

        // Seeded once: the change feed holds the 63 seeded records, not twice that.
        await using var server = await ServerProcess.StartAsync(database.Settings, ct: Ct);
        var page = await new TariffService.TariffServiceClient(server.Channel).ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 1000 }, deadline: Deadline);
        // The seed's, the 2026 update's new ones, List 4B (TAR-US-04.2) and the Section 232 document's, once each
        Assert.Equal(39 + 9 + 1 + 25, page.TariffMeasures.Count);
    }

    [Fact]
    public async Task Migrate_with_a_wrong_password_exits_non_zero_naming_the_connection_string_setting()
    {
        Require(StorageProvider.SqlServer);
        var settings = WrongPassword();
        var (exitCode, output) = await TestDatabase.RunMigrateAsync(settings, Ct);
        Assert.Equal(2, exitCode);
        Assert.Contains("Fix ConnectionStrings:Policy", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_with_a_wrong_password_is_alive_not_ready_says_why_and_answers_failed_precondition_not_unavailable()
    {
        Require(StorageProvider.SqlServer);
        await using var server = await ServerProcess.StartAsync(WrongPassword(), waitForReady: false, ct: Ct);

        var health = new Health.HealthClient(server.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" }, deadline: Deadline)).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            (await health.CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: Deadline)).Status);

        var e = await Assert.ThrowsAsync<RpcException>(() => new TariffService.TariffServiceClient(server.Channel)
            .LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "850760" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("DATABASE_MISCONFIGURED", e.ErrorInfo()?.Reason);
        Assert.Equal("ConnectionStrings:Policy", e.ErrorInfo()?.Metadata["setting"]);

        // The start-up check says what to fix in the log, once the server has tried the database.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!server.Output.Contains("Fix ConnectionStrings:Policy", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(100, Ct);
        Assert.Contains("Fix ConnectionStrings:Policy", server.Output, StringComparison.Ordinal);
    }

    private static KeyValuePair<string, string>[] WrongPassword()
    {
        var builder = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(Environment.GetEnvironmentVariable(TestDatabase.SqlServerVariable));
        builder.Password += "-wrong";
        return [new("Storage:Provider", "SqlServer"), new("ConnectionStrings:Policy", builder.ConnectionString)];
    }
}
