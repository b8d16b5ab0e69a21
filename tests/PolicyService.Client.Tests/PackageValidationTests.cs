namespace PolicyService.Client.Tests;

/// <summary>PolicyServicePackageBaselineVersion (Directory.Build.props) turns on package validation against a released version.</summary>
public class PackageValidationTests(PackedClient package)
{
    private Task<Dotnet.Result> PackAgainstBaselineAsync(string baselineVersion)
    {
        var output = Path.Combine(package.WorkDirectory, "validation", Guid.NewGuid().ToString("N"));
        return Dotnet.RunAsync(
            ["pack", Path.Combine(package.RepositoryRoot, "src", "PolicyService.Client", "PolicyService.Client.csproj"), "-c", package.Configuration,
                "--no-build", "-o", output, "-p:VersionSuffix=validation", $"-p:PolicyServicePackageBaselineVersion={baselineVersion}",
                // Validation is incremental (a marker file in obj/): a marker of its own makes it run every time.
                $"-p:_ApiCompatValidatePackageSemaphoreFile={Path.Combine(output, "validated")}"],
            TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task A_baseline_version_is_compared_on_pack()
    {
        // Restoring the harness put this run's package in the NuGet cache, where validation looks for the baseline.
        await package.HarnessAsync();

        var unchanged = await PackAgainstBaselineAsync(package.PackageVersion);
        Assert.True(unchanged.ExitCode == 0, unchanged.Output);

        var missing = await PackAgainstBaselineAsync(package.VersionPrefix + "-not.released");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not.released", missing.Output, StringComparison.Ordinal);
    }
}
