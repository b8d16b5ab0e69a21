using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Xml.Linq;

[assembly: AssemblyFixture(typeof(PolicyService.Client.Tests.PackedClient))]

namespace PolicyService.Client.Tests;

/// <summary>
/// Packs PolicyService.Contracts, PolicyService.Client and the policyctl tool (from this build's output) into a folder feed, under a
/// prerelease version unique to this run so no package cache can serve an older build, and builds consumer projects
/// against that feed — the way another team's project would install the package.
/// </summary>
public sealed class PackedClient : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _builds = new();

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The configuration this test assembly was built in; the packed projects were built in the same one.</summary>
    public string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), $"policyservice-client-tests-{Guid.NewGuid():N}");

    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    public string NuGetConfig => Path.Combine(WorkDirectory, "NuGet.config");

    /// <summary>VersionPrefix from Directory.Build.props, the one place the version is set.</summary>
    public string VersionPrefix { get; private set; } = "";

    public string PackageVersion { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        VersionPrefix = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        // A letter first: a numeric prerelease identifier with a leading zero is not valid SemVer.
        var suffix = $"localtest.t{Guid.NewGuid():N}"[..24];
        PackageVersion = $"{VersionPrefix}-{suffix}";

        foreach (var project in new[] { "PolicyService.Contracts", "PolicyService.Client", "PolicyService.Cli" })
        {
            (await Dotnet.RunAsync(
                ["pack", Path.Combine(RepositoryRoot, "src", project, $"{project}.csproj"), "-c", Configuration, "--no-build",
                    "-o", FeedDirectory, $"-p:VersionSuffix={suffix}"],
                BuildTimeout)).EnsureSuccess($"dotnet pack {project}");
        }

        // Only this feed may serve PolicyService.* packages; everything else comes from the machine's cache or nuget.org.
        new XDocument(new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                Source("local-feed", FeedDirectory),
                Source("nuget.org", "https://api.nuget.org/v3/index.json")),
            new XElement("packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "local-feed"), Pattern("PolicyService.*")),
                new XElement("packageSource", new XAttribute("key", "nuget.org"), Pattern("*"))))).Save(NuGetConfig);

        static XElement Source(string key, string value) => new("add", new XAttribute("key", key), new XAttribute("value", value));
        static XElement Pattern(string pattern) => new("package", new XAttribute("pattern", pattern));
    }

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(FeedDirectory, $"{id}.{PackageVersion}.{extension}");

    /// <summary>Restores and builds a consumer project against the feed (once per project), returning its entry assembly.</summary>
    public Task<string> BuildConsumerAsync(string projectPath) =>
        _builds.GetOrAdd(Path.GetFullPath(projectPath), path => new Lazy<Task<string>>(() => BuildAsync(path))).Value;

    /// <summary>The consumer project under Harness/, built from the feed.</summary>
    public Task<string> HarnessAsync() =>
        BuildConsumerAsync(Path.Combine(RepositoryRoot, "tests", "PolicyService.Client.Tests", "Harness", "PolicyService.Client.Harness.csproj"));

    /// <summary>Runs the harness with arguments and returns the JSON line it printed.</summary>
    public async Task<JsonObject> RunHarnessAsync(params string[] arguments)
    {
        var harness = await HarnessAsync();
        var result = await Dotnet.RunAsync([harness, .. arguments], TimeSpan.FromSeconds(90));
        var line = result.Output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        return line is null || result.ExitCode != 0
            ? throw new InvalidOperationException($"The harness failed (exit {result.ExitCode}):\n{result.Output}")
            : JsonNode.Parse(line)!.AsObject();
    }

    private async Task<string> BuildAsync(string projectPath)
    {
        var name = Path.GetFileNameWithoutExtension(projectPath);
        var artifacts = Path.Combine(WorkDirectory, "artifacts", name);
        // Artifacts outside the source tree; the feed's NuGet.config; the run's unique package version.
        (await Dotnet.RunAsync(
            ["build", projectPath, "-c", "Release", "--artifacts-path", artifacts, $"-p:RestoreConfigFile={NuGetConfig}",
                $"-p:PolicyServiceClientVersion={PackageVersion}"],
            BuildTimeout)).EnsureSuccess($"dotnet build {name}");
        var assembly = Path.Combine(artifacts, "bin", name, "release", $"{name}.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException("The consumer build produced no assembly.", assembly);
    }

    public ValueTask DisposeAsync()
    {
        TryDelete(WorkDirectory);
        // The run's unique version was extracted into the machine's package cache; it will never be used again.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "policyservice.contracts", "policyservice.client", "policyservice.cli" })
            TryDelete(Path.Combine(cache, id, PackageVersion.ToLowerInvariant()));
        return ValueTask.CompletedTask;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PolicyService.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("PolicyService.sln not found above " + AppContext.BaseDirectory);
    }
}
