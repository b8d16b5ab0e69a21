using System.Text.Json.Nodes;
using PolicyService.Testing;

namespace PolicyService.Client.Tests;

/// <summary>The real server with its seeded embedded database, shared by the tests of a class.</summary>
public sealed class RealServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public string AddressSetting => $"--PolicyService:Address={Server.Address}";

    public async ValueTask InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The packed client, used by a consumer project, against the real server on loopback.</summary>
public class RealServerTests(PackedClient package, RealServer real) : IClassFixture<RealServer>
{
    private static IEnumerable<string?> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>());

    [Fact]
    public async Task A_duty_lookup_returns_the_exact_total_and_the_layers()
    {
        var result = await package.RunHarnessAsync("duty", "US", "CN", "8507.60.00.20", "2025-11-15", real.AddressSetting);

        Assert.Equal("OK", (string?)result["status"]);
        Assert.Equal("27.5", (string?)result["total"]);   // Li-ion batteries pay the reciprocal duty: no U.S. note exempts them
        Assert.Equal(["TAR-US-04=7.5", "TAR-US-14=10", "TAR-US-17=10"], Strings(result["layers"]));
        Assert.Equal("2025-11-15", (string?)result["asOf"]);
        Assert.Equal("2026-10-08", (string?)result["reviewedThrough"]);   // the 2026 update is applied after the seed
    }

    [Fact]
    public async Task An_export_check_reports_the_licence_and_the_suspension_end()
    {
        var result = await package.RunHarnessAsync("export", "CN", "US", "gallium", "2025-12-01", real.AddressSetting);

        Assert.Equal("OK", (string?)result["status"]);
        Assert.True((bool)result["licenseRequired"]!);
        Assert.Contains("EXC-CN-01", Strings(result["inForce"]));
        Assert.Contains("EXC-CN-04.2=2026-11-28", Strings(result["suspendedUntil"]));
    }

    [Fact]
    public async Task A_truce_status_names_the_truce_and_the_days_left()
    {
        var result = await package.RunHarnessAsync("truce", "US", "CN", "2025-11-15", real.AddressSetting);

        Assert.Equal("OK", (string?)result["status"]);
        Assert.Equal(["TRUCE-US-CN-2025:360"], Strings(result["truces"]));
    }

    [Fact]
    public async Task A_duty_timeline_gives_each_segment_its_start_and_exact_total()
    {
        var result = await package.RunHarnessAsync("timeline", "US", "CN", "8507.60.00.20", "2025-11-01", "2026-03-01", real.AddressSetting);

        Assert.Equal("OK", (string?)result["status"]);
        // 2026-02-20: Section 122 announced (batteries are in its scope now: no unconditional exemption names them).
        Assert.Equal(["2025-11-01=37.5", "2025-11-10=27.5", "2026-01-01=45", "2026-02-20=45", "2026-02-24=35"], Strings(result["segments"]));

        var lapsed = await package.RunHarnessAsync("timeline", "US", "CN", "8507.60.00.20", "2025-11-01", "2026-03-01", real.AddressSetting, "--lapse=TRUCE-US-CN-2025@2025-12-01");
        Assert.Equal("OK", (string?)lapsed["status"]);
        Assert.Contains("2026-01-01=79", Strings(lapsed["segments"]));   // 25 + fentanyl 20 + the reciprocal 34 once the truce lapsed
    }

    [Fact]
    public async Task An_export_timeline_shows_the_ban_suspended_by_the_truce()
    {
        var result = await package.RunHarnessAsync("export-timeline", "CN", "US", "gallium", "2025-01-01", "2026-01-01", real.AddressSetting);

        Assert.Equal("OK", (string?)result["status"]);
        Assert.Equal(["2025-01-01=prohibited", "2025-11-09=licence"], Strings(result["segments"]));
    }

    [Fact]
    public async Task Bad_input_is_invalid_argument_with_the_field_names_readable_through_the_helpers()
    {
        var result = await package.RunHarnessAsync("duty", "USA", "CN", "85", "2025-11-15", real.AddressSetting);

        Assert.Equal("InvalidArgument", (string?)result["status"]);
        Assert.Equal("INVALID_ARGUMENT", (string?)result["reason"]);
        Assert.Equal(["importer", "hs_code"], Strings(result["fields"]));
        Assert.True((bool)result["hsCodeInvalid"]!);
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_with_its_reason()
    {
        var result = await package.RunHarnessAsync("measure", "TAR-US-99", real.AddressSetting);

        Assert.Equal("NotFound", (string?)result["status"]);
        Assert.Equal("RESOURCE_NOT_FOUND", (string?)result["reason"]);
        Assert.Empty(result["fields"]!.AsArray());
    }

    [Fact]
    public async Task The_generated_clients_are_registered_too()
    {
        var result = await package.RunHarnessAsync("measure", "TAR-US-14", real.AddressSetting);

        Assert.Equal("OK", (string?)result["status"]);
        Assert.Equal("TAR-US-14", (string?)result["id"]);
    }

    [Fact]
    public async Task A_dns_address_resolves_and_balances_over_cleartext()
    {
        // What a Kubernetes headless Service looks like to the client: a name with one address per pod.
        var result = await package.RunHarnessAsync("duty", "US", "CN", "8507.60.00.20", "2025-01-15",
            $"--PolicyService:Address=dns:///localhost:{real.Server.Address.Port}", "--PolicyService:UseTls=false");

        Assert.Equal("OK", (string?)result["status"]);
        Assert.Equal("7.5", (string?)result["total"]);
    }

    [Fact]
    public async Task Invalid_options_fail_with_a_message_naming_the_setting()
    {
        var missing = await package.RunHarnessAsync("duty", "US", "CN", "850760", "--PolicyService:DefaultDeadline=00:00:05");
        Assert.Equal("ConfigurationError", (string?)missing["status"]);
        Assert.Contains("PolicyService:Address is required", (string?)missing["message"], StringComparison.Ordinal);

        var cleartextToken = await package.RunHarnessAsync("duty", "US", "CN", "850760", real.AddressSetting, "--token=secret");
        Assert.Equal("ConfigurationError", (string?)cleartextToken["status"]);
        Assert.Contains("AllowAccessTokenWithoutTls", (string?)cleartextToken["message"], StringComparison.Ordinal);

        var tooManyAttempts = await package.RunHarnessAsync("duty", "US", "CN", "850760", real.AddressSetting, "--PolicyService:Retry:MaxAttempts=9");
        Assert.Equal("ConfigurationError", (string?)tooManyAttempts["status"]);
        Assert.Contains("Retry:MaxAttempts must be between 1 (no retries) and 5, not 9", (string?)tooManyAttempts["message"], StringComparison.Ordinal);
    }
}
