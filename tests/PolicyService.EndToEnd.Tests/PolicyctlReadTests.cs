using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyService.EndToEnd.Tests;

/// <summary>policyctl's read commands against the real server with the seeded data: tables for people, JSON for scripts.</summary>
public class PolicyctlReadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<PolicyctlProcess.Run> Policyctl(params string[] args) => PolicyctlProcess.RunAsync(fixture.Server.Address, token: null, args);

    /// <summary>True when a table row's first cells begin with these texts, in this order.</summary>
    private static bool HasRow(string output, params string[] cells) =>
        Regex.IsMatch(output, "^│ " + string.Join("[^│]*│ ", cells.Select(Regex.Escape)) + "[^│]*│", RegexOptions.Multiline);

    [Fact]
    public async Task Duty_shows_the_total_and_each_layer_with_its_kind_rate_and_sources()
    {
        // Wooden furniture (List 3) pays all three layers; diodes are exempt from the reciprocal duty (electronics memorandum).
        var run = await Policyctl("duty", "US", "CN", "9403.60.80.81", "--on", "2025-11-15");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("US duty on 9403608081 from CN on 2025-11-15: total 45% ad valorem", run.Out, StringComparison.Ordinal);
        Assert.True(HasRow(run.Out, "TAR-US-03", "SECTION_301", "25", "TAR-US-03 2019-05-10 → 2026-10-07"), run.Out);
        Assert.True(HasRow(run.Out, "TAR-US-14", "IEEPA_FENTANYL", "10", "TAR-US-16 2025-11-10 → 2026-02-24, term TRU-10", "EO 14357"), run.Out);
        Assert.True(HasRow(run.Out, "TAR-US-17", "IEEPA_RECIPROCAL", "10", "TAR-US-22 2025-11-10 → 2026-02-24, term TRU-15", "EO 14358"), run.Out);
        Assert.True(HasRow(run.Out, "TRU-15", "TRUCE-US-CN-2025", "TAR-US-17", "24 points"), run.Out);  // truce effect
        Assert.Contains("Data reviewed through 2026-10-08", run.Out, StringComparison.Ordinal);

        var battery = await Policyctl("duty", "US", "CN", "8507.60.00.20", "--on", "2025-11-15");
        Assert.True(battery.ExitCode == 0, battery.Error);
        Assert.Contains("US duty on 8507600020 from CN on 2025-11-15: total 27.5% ad valorem", battery.Out, StringComparison.Ordinal);
        Assert.True(HasRow(battery.Out, "TAR-US-06.2", "SECTION_301", "25"), battery.Out);                    // announced

        var diodes = await Policyctl("duty", "US", "CN", "8541.10.00.80", "--on", "2025-11-15");
        Assert.True(diodes.ExitCode == 0, diodes.Error);
        Assert.True(HasRow(diodes.Out, "TAR-US-17", "IEEPA_RECIPROCAL", "10", "85411000"), diodes.Out);      // exempt, and by which exclusion
    }

    [Fact]
    public async Task Duty_of_a_less_specific_code_shows_that_the_total_varies_and_each_variant()
    {
        var run = await Policyctl("duty", "US", "CN", "8507.60.00", "--on", "2025-11-15");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("US duty on 85076000 from CN on 2025-11-15: the total varies below the code", run.Out, StringComparison.Ordinal);
        // EV batteries are automobile parts too (Section 232, U.S. note 33(g)).
        Assert.True(HasRow(run.Out, "8507600010", "60", "SEC-AUTO-02 25, TAR-US-06.1 25"), run.Out);
        Assert.DoesNotContain("variants) ad valorem", run.Out, StringComparison.Ordinal);
        Assert.True(HasRow(run.Out, "8507600020", "27.5", "TAR-US-04 7.5"), run.Out);
        Assert.Contains("│ the other lines", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duty_outside_the_coverage_says_what_is_not_covered()
    {
        var run = await Policyctl("duty", "US", "VN", "8507.60.00.20", "--on", "2025-11-15");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("total 0% ad valorem", run.Out, StringComparison.Ordinal);
        Assert.Contains("Not covered: origin-specific US measures for VN", run.Out, StringComparison.Ordinal);
        Assert.Contains("MFN base rates are not in the data", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calendar_lists_the_dated_changes_between_two_jurisdictions()
    {
        var run = await Policyctl("calendar", "US", "CN", "--from", "2026-10-01", "--to", "2027-02-01");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(HasRow(run.Out, "2026-11-10", "suspension ends", "TAR-US-17", "TAR-US-22", "10 → 34", "TRU-15"), run.Out);
        Assert.True(HasRow(run.Out, "2026-11-10", "truce expires", "TRUCE-US-CN-2025"), run.Out);
        Assert.True(HasRow(run.Out, "2026-11-28", "suspension ends", "EXC-CN-04.2"), run.Out);

        var json = await Policyctl("calendar", "US", "CN", "--from", "2026-10-01", "--to", "2027-02-01", "-o", "json");
        var answer = Google.Protobuf.JsonParser.Default.Parse<TradePolicy.V1.ListScheduledChangesResponse>(json.Out);
        Assert.Contains(answer.ScheduledChanges, c => c.RecordId == "EXC-CN-04.2" && c.Date.Day == 28);
    }

    [Fact]
    public async Task Search_lists_the_products_that_match_best_first()
    {
        var run = await Policyctl("search", "lithium batteries", "--page-size", "3");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(HasRow(run.Out, "850760", "6", "Electric accumulators; lithium-ion", "8507", "85"), run.Out);
        Assert.Equal(3, Regex.Count(run.Out, @"^│ \d{4,6} ", RegexOptions.Multiline));

        var empty = await Policyctl("search", " ");
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("query", empty.Error + empty.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coverage_lists_what_the_data_holds_by_jurisdiction()
    {
        var run = await Policyctl("coverage");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(HasRow(run.Out, "US", "CN", "held", "SECTION_301"), run.Out);
        Assert.True(HasRow(run.Out, "CN", "US", "not held", "RETALIATORY, OTHER", "2026-10-08"), run.Out);
        Assert.True(HasRow(run.Out, "US–CN", "2026-10-08"), run.Out);

        var json = await Policyctl("coverage", "-o", "json");
        var answer = Google.Protobuf.JsonParser.Default.Parse<TradePolicy.V1.GetCoverageResponse>(json.Out);
        Assert.Equal(["US", "CN"], answer.Coverage.Tariffs.Select(t => t.Importer));
    }

    [Fact]
    public async Task Timeline_lists_each_segment_with_its_total_and_the_cliff_that_opened_it()
    {
        var run = await Policyctl("timeline", "US", "CN", "8507.60.00.20", "--from", "2025-01-01", "--to", "2026-10-01");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("US duty on 8507600020 from CN from 2025-01-01 to 2026-10-01", run.Out, StringComparison.Ordinal);
        Assert.True(HasRow(run.Out, "2025-01-01", "2025-02-01", "7.5", "TAR-US-04 7.5"), run.Out);
        Assert.True(HasRow(run.Out, "2025-11-10", "2026-01-01", "27.5", "TAR-US-04 7.5, TAR-US-14 10, TAR-US-17 10", "TAR-US-14 rate changed 20 → 10"), run.Out);
        Assert.True(HasRow(run.Out, "2026-01-01", "2026-02-20", "45", "TAR-US-06.2 25", "TAR-US-06.2 status changed announced → in force – → 25"), run.Out);

        var json = await Policyctl("timeline", "US", "CN", "8507.60.00.20", "--from", "2025-11-01", "--to", "2026-03-01", "-o", "json", "--view", "basic");
        Assert.True(json.ExitCode == 0, json.Error);
        var answer = Google.Protobuf.JsonParser.Default.Parse<TradePolicy.V1.GetDutyTimelineResponse>(json.Out);
        // Batteries pay the reciprocal duty and then Section 122 (announced from 2026-02-20): no U.S. note exempts them.
        Assert.Equal(["37.5", "27.5", "45", "45", "35"], answer.Segments.Select(s => s.TotalAdValoremPercent));
        Assert.All(answer.Segments.SelectMany(s => s.Layers), l => Assert.Equal("", l.Title)); // the basic view was asked for
    }

    [Fact]
    public async Task Timeline_without_its_dates_is_refused_before_any_call()
    {
        var run = await Policyctl("timeline", "US", "CN", "8507.60.00.20", "--from", "2025-01-01");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--to", run.Error + run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duty_as_json_is_the_protobuf_json_of_the_answer()
    {
        var run = await Policyctl("duty", "US", "CN", "8507.60.00.20", "--on", "2025-11-15", "--output", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("27.5", json.RootElement.GetProperty("totalAdValoremPercent").GetString());
        Assert.Equal(["TAR-US-04", "TAR-US-14", "TAR-US-17"],
            json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("measureId").GetString()));
        // Scripts can read it back with any protobuf JSON parser.
        var answer = Google.Protobuf.JsonParser.Default.Parse<TradePolicy.V1.LookupDutyResponse>(run.Out);
        Assert.Equal(TradePolicy.V1.TariffKind.IeepaFentanyl, answer.Layers[1].Kind);
        Assert.Equal(TradePolicy.V1.TariffKind.IeepaReciprocal, answer.Layers[2].Kind);

        // The exemption, too: diodes are exempt from the reciprocal duty.
        var diodes = await Policyctl("duty", "US", "CN", "8541.10.00.80", "--on", "2025-11-15", "--output", "json");
        Assert.True(diodes.ExitCode == 0, diodes.Error);
        var exempt = Google.Protobuf.JsonParser.Default.Parse<TradePolicy.V1.LookupDutyResponse>(diodes.Out);
        Assert.Equal(TradePolicy.V1.TariffKind.IeepaReciprocal, Assert.Single(exempt.ExemptedLayers).Layer.Kind);
    }

    [Fact]
    public async Task View_basic_asks_for_the_small_answer()
    {
        var run = await Policyctl("duty", "US", "CN", "8507.60.00.20", "--on", "2025-11-15", "--view", "basic", "-o", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        var answer = Google.Protobuf.JsonParser.Default.Parse<TradePolicy.V1.LookupDutyResponse>(run.Out);
        Assert.Equal("27.5", answer.TotalAdValoremPercent);
        Assert.All(answer.Layers, l => Assert.True(l.Title == "" && l.Sources.Count > 0 && l.Sources.All(s => s.Title == "" && s.Id != "")));
    }

    [Fact]
    public async Task Known_at_asks_the_service_as_it_was_at_that_instant()
    {
        // The server loaded its seed data at start-up: before then it knew of no duty at all.
        var run = await Policyctl("duty", "US", "CN", "8507.60.00.20", "--on", "2025-11-15", "--known-at", "2025-11-20T09:00:00Z", "-o", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("2025-11-20T09:00:00Z", json.RootElement.GetProperty("knownAt").GetString());
        Assert.False(json.RootElement.TryGetProperty("layers", out _), run.Out);
    }

    [Fact]
    public async Task A_bad_hs_code_exits_1_and_names_the_field()
    {
        var run = await Policyctl("duty", "US", "CN", "85", "--on", "2025-11-15");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The server refused the question", run.Error, StringComparison.Ordinal);
        Assert.Contains("  hs_code: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("importer", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Export_shows_the_licence_and_the_suspended_ban_with_its_end()
    {
        var run = await Policyctl("export", "CN", "US", "gallium", "--on", "2025-12-01");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Export of gallium from CN to US on 2025-12-01: licence required", run.Out, StringComparison.Ordinal);
        Assert.True(HasRow(run.Out, "EXC-CN-01", "LICENSE_REQUIRED"), run.Out);
        Assert.True(HasRow(run.Out, "EXC-CN-04.2", "PROHIBITED", "EXC-CN-04 2025-11-09 → open, term TRU-09", "2026-11-28"), run.Out);
    }

    [Fact]
    public async Task Truce_shows_the_truce_in_force_its_expiry_and_what_resumes()
    {
        var run = await Policyctl("truce", "US", "CN", "--on", "2025-11-15");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("TRUCE-US-CN-2025", run.Out, StringComparison.Ordinal);
        Assert.Contains("expires 2026-11-10 (360 days remaining)", run.Out, StringComparison.Ordinal);
        Assert.True(HasRow(run.Out, "TAR-US-17", "tariff", "2026-11-10", "TRU-15"), run.Out);
        Assert.True(HasRow(run.Out, "EXC-CN-04.2", "export_control", "2026-11-28", "TRU-09"), run.Out);
    }

    [Fact]
    public async Task Server_on_the_command_line_wins_over_the_environment()
    {
        // POLICYCTL_SERVER points at the real server; --server at a closed port.
        var run = await Policyctl("truce", "US", "CN", "--server", "http://127.0.0.1:1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Cannot reach PolicyService at http://127.0.0.1:1", run.Error, StringComparison.Ordinal);
    }
}
