using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// Failures at start that an operator fixes: each is one log line naming the file or setting, a non-zero exit code and
/// no stack trace.
/// </summary>
public class StartupFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_missing_database_with_its_snapshot_file_beside_it_refuses_to_start_and_names_the_file()
    {
        string directory;
        await using (var first = await ServerProcess.StartAsync(ct: Ct))
        {
            directory = Path.Combine(Path.GetTempPath(), $"policyservice-lost-{Guid.NewGuid():N}");
            first.Signal(15);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            // What a volume that did not mount looks like: the snapshot file is there, the database is not.
            Directory.CreateDirectory(directory);
            foreach (var snapshot in Directory.GetFiles(first.Directory, "policy.db.snapshot.*")) File.Copy(snapshot, Path.Combine(directory, Path.GetFileName(snapshot)));
        }
        try
        {
            Assert.NotEmpty(Directory.GetFiles(directory, "policy.db.snapshot.*"));
            var database = Path.Combine(directory, "policy.db");

            var (exitCode, output) = await RunToExitAsync([$"--Storage:SqlitePath={database}"]);

            Assert.Equal(3, exitCode);
            var line = Assert.Single(output.Split('\n'), l => l.Contains("Cannot start", StringComparison.Ordinal));
            Assert.Contains(database, line, StringComparison.Ordinal);
            Assert.Contains("Storage:CreateMissingDatabase", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.False(File.Exists(database), "no fresh database may be created in its place");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task With_create_missing_database_set_a_lost_file_is_created_from_the_seed()
    {
        string directory;
        await using (var first = await ServerProcess.StartAsync(ct: Ct))
        {
            first.Signal(15);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            // Its snapshot files without the database: the operator says to start afresh anyway.
            directory = Path.Combine(Path.GetTempPath(), $"policyservice-recreate-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            foreach (var snapshot in Directory.GetFiles(first.Directory, "policy.db.snapshot.*")) File.Copy(snapshot, Path.Combine(directory, Path.GetFileName(snapshot)));
        }
        try
        {
            Assert.NotEmpty(Directory.GetFiles(directory, "policy.db.snapshot.*"));
            await using var server = await ServerProcess.StartAsync(
                [new("Storage:SqlitePath", Path.Combine(directory, "policy.db")), new("Storage:CreateMissingDatabase", "true")], ct: Ct);
            var answer = await new TariffService.TariffServiceClient(server.Channel).LookupDutyAsync(
                new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "8507.60.00.20", AsOf = Date("2025-11-15") }, deadline: Deadline, cancellationToken: Ct);
            Assert.Equal("27.5", answer.TotalAdValoremPercent);
            Assert.True(File.Exists(Path.Combine(directory, "policy.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("HttpApi:Url")]
    [InlineData("Urls")]
    public async Task A_taken_port_is_one_line_naming_its_setting_and_a_non_zero_exit(string setting)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var directory = Path.Combine(Path.GetTempPath(), $"policyservice-port-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var (exitCode, output) = await RunToExitAsync([$"--{setting}=http://127.0.0.1:{port}", $"--Storage:SqlitePath={Path.Combine(directory, "policy.db")}"]);

            Assert.Equal(4, exitCode);
            var line = Assert.Single(output.Split('\n'), l => l.Contains("Cannot start", StringComparison.Ordinal));
            Assert.Contains($"port {port}", line, StringComparison.Ordinal);
            Assert.Contains(setting, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs the server with these arguments until it exits by itself (within a minute): its exit code and everything it printed.</summary>
    private static async Task<(int ExitCode, string Output)> RunToExitAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.BuildOutput("PolicyService.Server", "PolicyService.Server.dll"));
        // Defaults first, so that the test's own arguments (given later) win: a free gRPC port and no JSON port.
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add("--HttpApi:Url=");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The server kept running:\n{output}");
        }
        process.WaitForExit(); // the last lines of output
        lock (output) return (process.ExitCode, output.ToString());
    }
}
