using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace PolicyService.Deploy.Tests.Tooling;

/// <summary>Paths in the repository these tests were built from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Overlay(string name) => Path.Combine(Deploy, "overlays", name);

    /// <summary>Every overlay directory under deploy/overlays: a new overlay is tested without being listed anywhere.</summary>
    public static IReadOnlyList<string> Overlays =>
        Directory.GetDirectories(Path.Combine(Deploy, "overlays")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>True on a CI run, where a missing tool is a failure rather than a reason to skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test on a developer machine that lacks a tool; fails it in CI, which must have the tool.</summary>
    [DoesNotReturn]
    public static void SkipOrFail(string reason)
    {
        if (InCi) Assert.Fail($"{reason} (CI=true: .ci/run installs it, so its absence is an error)");
        Assert.Skip(reason);
        throw new UnreachableException();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyService.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("PolicyService.sln not found above " + AppContext.BaseDirectory);
    }
}
