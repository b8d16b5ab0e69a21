using System.Diagnostics;
using PolicyService.Testing;

namespace PolicyService.EndToEnd.Tests;

/// <summary>policyctl as an analyst runs it: a separate process from the build output, pointed at a server by POLICYCTL_SERVER.</summary>
internal static class PolicyctlProcess
{
    public sealed record Run(int ExitCode, string Out, string Error);

    public static async Task<Run> RunAsync(Uri server, string? token, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.BuildOutput("PolicyService.Cli", "policyctl.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["POLICYCTL_SERVER"] = server.ToString();
        start.Environment["POLICYCTL_TOKEN"] = token ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1));
        return new Run(process.ExitCode, await output, await error);
    }
}
