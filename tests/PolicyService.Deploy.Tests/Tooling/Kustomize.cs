using System.Collections.Concurrent;

namespace PolicyService.Deploy.Tests.Tooling;

/// <summary>Renders overlays with <c>kubectl kustomize</c>, once per overlay per test run.</summary>
internal static class Kustomize
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Rendered = new(StringComparer.Ordinal);

    /// <summary>KUBECTL names the binary explicitly (.ci/run sets it when it installs one); otherwise kubectl on PATH.</summary>
    public static string? Kubectl =>
        Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : Tool.OnPath("kubectl");

    /// <summary>The overlay's rendered YAML; skips (or, in CI, fails) the test when kubectl is missing.</summary>
    public static Task<string> RenderAsync(string overlay)
    {
        var kubectl = Kubectl;
        if (kubectl is null) Repository.SkipOrFail("kubectl is not installed (run .ci/install-kubectl and set KUBECTL to what it prints)");
        return Rendered.GetOrAdd(overlay, o => new Lazy<Task<string>>(async () =>
        {
            var result = await Tool.RunAsync(kubectl!, ["kustomize", Repository.Overlay(o)]);
            if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {o} failed ({result.ExitCode}):\n{result.Error}");
            return result.Output;
        })).Value;
    }

    public static async Task<Manifest> LoadAsync(string overlay) => Manifest.Parse(await RenderAsync(overlay));
}
