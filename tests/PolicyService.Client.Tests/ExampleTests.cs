namespace PolicyService.Client.Tests;

/// <summary>examples/ builds against the packed client and answers from the real server, as its README promises.</summary>
public class ExampleTests(PackedClient package, RealServer real) : IClassFixture<RealServer>
{
    private async Task<Dotnet.Result> RunExampleAsync(params string[] arguments)
    {
        var example = await package.BuildConsumerAsync(
            Path.Combine(package.RepositoryRoot, "examples", "PolicyService.Client.Example", "PolicyService.Client.Example.csproj"));
        // Started from its own directory, as dotnet run would, so its appsettings.json applies.
        return await Dotnet.RunAsync([example, $"--PolicyService:Address={real.Server.Address}", .. arguments], TimeSpan.FromSeconds(90),
            workingDirectory: Path.GetDirectoryName(example));
    }

    [Fact]
    public async Task The_example_prints_a_duty_an_export_check_and_a_truce_status()
    {
        var result = await RunExampleAsync();

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Duty on 8507.60.00.20 from CN into US on 2025-11-15: 27.5 % of customs value", result.Output, StringComparison.Ordinal);
        Assert.Contains("Export of gallium from CN to US: licence required", result.Output, StringComparison.Ordinal);
        Assert.Contains("suspended: EXC-CN-04.2  until 2026-11-28", result.Output, StringComparison.Ordinal);
        Assert.Contains("Truce TRUCE-US-CN-2025: expires 2026-11-10 (360 days)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_example_explains_bad_input_by_field()
    {
        var result = await RunExampleAsync("--Questions:HsCode=85");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PolicyService rejected the question:", result.Output, StringComparison.Ordinal);
        Assert.Contains("  hs_code: ", result.Output, StringComparison.Ordinal);
    }
}
