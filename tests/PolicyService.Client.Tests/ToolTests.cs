using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace PolicyService.Client.Tests;

/// <summary>policyctl installed the way .NET developers install tools: dotnet tool install from the feed, then run by name.</summary>
public class ToolTests(PackedClient package, RealServer real) : IClassFixture<RealServer>
{
    [Fact]
    public void The_package_is_a_dotnet_tool_with_the_command_policyctl()
    {
        using var nupkg = ZipFile.OpenRead(package.PackagePath("PolicyService.Cli"));
        var settings = nupkg.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using var stream = settings.Open();
        var command = XDocument.Load(stream).Descendants("Command").Single();
        Assert.Equal("policyctl", (string?)command.Attribute("Name"));
        Assert.Equal("policyctl.dll", (string?)command.Attribute("EntryPoint"));
        Assert.Contains("README.md", nupkg.Entries.Select(e => e.FullName));
    }

    [Fact]
    public async Task The_installed_tool_answers_a_duty_lookup()
    {
        var toolPath = Path.Combine(package.WorkDirectory, $"tools-{Guid.NewGuid():N}");
        (await Dotnet.RunAsync(
            ["tool", "install", "--tool-path", toolPath, "--add-source", package.FeedDirectory, "PolicyService.Cli", "--version", package.PackageVersion],
            TimeSpan.FromMinutes(3))).EnsureSuccess("dotnet tool install PolicyService.Cli");

        var policyctl = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "policyctl.exe" : "policyctl");
        Assert.True(File.Exists(policyctl), $"{policyctl} was not installed");
        var start = new ProcessStartInfo(policyctl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "duty", "US", "CN", "8507.60.00.20", "--on", "2025-11-15", "--server", real.Server.Address.ToString() }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(process.ExitCode == 0, await error);
        var text = await output;
        Assert.Contains("total 27.5% ad valorem", text, StringComparison.Ordinal);
        foreach (var layer in new[] { "TAR-US-04", "TAR-US-14", "TAR-US-17" }) Assert.Contains($"│ {layer} ", text, StringComparison.Ordinal);
    }
}
