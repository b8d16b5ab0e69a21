using System.Diagnostics;
using PolicyService.Testing;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>policyctl as an analyst runs it: a separate process against the real server.</summary>
public class PolicyctlTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private Task<PolicyctlProcess.Run> Policyctl(string? token, params string[] args) => PolicyctlProcess.RunAsync(fixture.Server.Address, token, args);

    private string EditorToken => fixture.Credentials.Token("analyst-cli", [TestCredentials.Editor]);

    private static async Task<string> ImportFile(string id)
    {
        var path = Path.Combine(Path.GetTempPath(), $"policyctl-{Guid.NewGuid():N}.json");
        var request = new TradePolicy.V1.ImportChangesRequest { Changes = { new TradePolicy.V1.PolicyChange { CreateTariffMeasure = TestRecords.ToyDuty(id, rate: "17.5") } } };
        await File.WriteAllTextAsync(path, Google.Protobuf.JsonFormatter.Default.Format(request), TestContext.Current.CancellationToken);
        return path;
    }

    [Fact]
    public async Task An_analyst_imports_a_file_once_even_when_run_twice()
    {
        var id = TestRecords.NewId("CLI");
        var file = await ImportFile(id);
        var first = await Policyctl(EditorToken, "import", file, "--reason", "weekly update");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Imported 1 changes", first.Out, StringComparison.Ordinal);
        Assert.Contains(id, first.Out, StringComparison.Ordinal);
        Assert.Contains("writing", first.Error, StringComparison.Ordinal);   // progress goes to stderr

        var second = await Policyctl(EditorToken, "import", file, "--reason", "weekly update");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("nothing changed", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_analyst_records_a_status_change_and_reads_the_history()
    {
        var id = TestRecords.NewId("CLIS");
        await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(id));
        var status = await Policyctl(EditorToken, "status", id, "--status", "SUSPENDED", "--effective", "2025-11-10", "--until", "2026-11-10",
            "--truce-term", "TRU-15", "--source", "S01", "--reason", "suspended under the Busan arrangement");
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains($"{id} is now at version 2", status.Out, StringComparison.Ordinal);

        var history = await Policyctl(EditorToken, "history", id);
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("by analyst-cli  — suspended under the Busan arrangement", history.Out, StringComparison.Ordinal);
        Assert.Contains("2025-11-10 → open  Suspended", history.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_prints_changes_as_they_commit_with_a_resume_token()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.BuildOutput("PolicyService.Cli", "policyctl.dll"));
        start.ArgumentList.Add("tail");
        start.Environment["POLICYCTL_SERVER"] = fixture.Server.Address.ToString();
        // A reader's token: with authentication configured, who recorded a change and why are shown to readers only.
        start.Environment["POLICYCTL_TOKEN"] = fixture.Credentials.Token("reader-1", [TestCredentials.Reader]);
        using var tail = Process.Start(start)!;
        try
        {
            // policyctl says when the server has fixed its starting point.
            var watching = await tail.StandardError.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("Watching changes", watching, StringComparison.Ordinal);
            var created = await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(TestRecords.NewId("TAIL")));
            var line = await tail.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(line);
            Assert.Contains($"CREATE        tariff_measure {created.Id} v1 by analyst-1: test setup", line, StringComparison.Ordinal);
            Assert.Contains("[resume: ", line, StringComparison.Ordinal);
        }
        finally
        {
            tail.Kill();
        }
    }

    [Fact]
    public async Task Errors_say_what_to_do()
    {
        var id = TestRecords.NewId("CLIE");
        var noToken = await Policyctl(null, "import", await ImportFile(id), "--reason", "x");
        Assert.Equal(1, noToken.ExitCode);
        Assert.Contains("POLICYCTL_TOKEN", noToken.Error, StringComparison.Ordinal);

        var badDate = await Policyctl(EditorToken, "status", "TAR-US-14", "--status", "REVOKED", "--effective", "2020-01-01", "--source", "S01", "--reason", "x");
        Assert.Equal(1, badDate.ExitCode);
        Assert.Contains("nothing was written", badDate.Error, StringComparison.Ordinal);
        Assert.Contains("status_change.effective_date:", badDate.Error, StringComparison.Ordinal);

        var missing = await Policyctl(EditorToken, "import", "/nonexistent/changes.json", "--reason", "x");
        Assert.Equal(2, missing.ExitCode);
    }
}
