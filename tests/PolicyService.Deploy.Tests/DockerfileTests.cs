using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

/// <summary>
/// No Docker engine runs in CI, so the image cannot be built there: these tests read deploy/Dockerfile and check the
/// properties the image must have, against the repository it builds from.
/// </summary>
public partial class DockerfileTests
{
    private sealed record Instruction(string Keyword, string Arguments);

    private sealed record Stage(string Image, string? Name, List<Instruction> Instructions)
    {
        public IEnumerable<string> All(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
    }

    private static readonly List<Stage> Stages = Parse(File.ReadAllText(Path.Combine(Repository.Deploy, "Dockerfile")));

    private static Stage Final => Stages[^1];

    /// <summary>Instructions with continuation lines joined and comments dropped, grouped by FROM.</summary>
    private static List<Stage> Parse(string dockerfile)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var raw in dockerfile.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#')) continue;
            current += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (line.EndsWith('\\')) continue;
            if (current.Trim().Length > 0) lines.Add(current.Trim());
            current = "";
        }
        var stages = new List<Stage>();
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var instruction = new Instruction(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
            if (instruction.Keyword == "FROM")
            {
                var match = FromLine().Match(instruction.Arguments);
                Assert.True(match.Success, $"FROM {instruction.Arguments}");
                stages.Add(new Stage(match.Groups["image"].Value, match.Groups["name"].Success ? match.Groups["name"].Value : null, new List<Instruction>()));
            }
            else if (instruction.Keyword != "ARG" || stages.Count > 0)
            {
                stages[^1].Instructions.Add(instruction);
            }
        }
        return stages;
    }

    [Fact]
    public void It_is_a_multi_stage_build_from_official_dotnet_images_pinned_to_exact_versions()
    {
        Assert.True(Stages.Count >= 2, "build and runtime stages");
        Assert.All(Stages, s =>
        {
            Assert.StartsWith("mcr.microsoft.com/dotnet/", s.Image, StringComparison.Ordinal);
            Assert.DoesNotContain("latest", s.Image, StringComparison.Ordinal);
            Assert.Matches(@"(:\d+\.\d+\.\d+[^:@]*$)|(@sha256:[a-f0-9]{64}$)", s.Image);
        });
    }

    [Fact]
    public void The_build_stage_uses_the_SDK_that_global_json_asks_for()
    {
        var sdk = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "global.json"))).RootElement.GetProperty("sdk").GetProperty("version").GetString();
        var build = Assert.Single(Stages, s => s.Image.Contains("/dotnet/sdk:", StringComparison.Ordinal));
        Assert.StartsWith($"mcr.microsoft.com/dotnet/sdk:{sdk}-", build.Image, StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_image_is_the_chiseled_ASP_NET_Core_runtime_with_ICU_of_the_target_framework_and_runs_no_shell()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"));
        var framework = props.Descendants("TargetFramework").Single().Value; // net10.0
        // -chiseled-extra carries ICU, which SqlClient needs: the build runs with globalization on.
        Assert.Matches($@"^mcr\.microsoft\.com/dotnet/aspnet:{Regex.Escape(framework[3..])}\.\d+-[a-z]+-chiseled-extra$", Final.Image);
        Assert.Equal("false", props.Descendants("InvariantGlobalization").Single().Value);
        // Chiseled images have no shell: a RUN there would fail at build time.
        Assert.Empty(Final.All("RUN"));
    }

    [Fact]
    public void It_runs_as_the_images_non_root_user_which_the_pods_name_by_number()
    {
        var user = Assert.Single(Final.All("USER"));
        Assert.Matches(@"^(\$APP_UID|\$\{APP_UID\}|[1-9][0-9]*)(:[0-9]+)?$", user);
        // The chiseled images define APP_UID=1654; runAsNonRoot can only verify a numeric user, so the pods state it.
        var deployment = File.ReadAllText(Path.Combine(Repository.Deploy, "base", "deployment.yaml"));
        Assert.Contains("runAsUser: 1654", deployment, StringComparison.Ordinal);
    }

    [Fact]
    public void It_listens_on_8080_with_HTTP_2_cleartext_and_starts_the_server_in_exec_form()
    {
        Assert.Equal(["8080 8081"], Final.All("EXPOSE"));
        var environment = string.Join(' ', Final.All("ENV"));
        Assert.Contains("Urls=http://+:8080", environment, StringComparison.Ordinal);
        Assert.Contains("HttpApi__Url=http://+:8081", environment, StringComparison.Ordinal);
        Assert.Matches(@"ASPNETCORE_HTTP_PORTS=(\s|$)", environment);
        var appsettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "src", "PolicyService.Server", "appsettings.json"))).RootElement;
        Assert.Equal("Http2", appsettings.GetProperty("Kestrel").GetProperty("EndpointDefaults").GetProperty("Protocols").GetString());

        // Exec form (a JSON array): no shell exists to run the shell form, and signals reach dotnet directly.
        var entrypoint = JsonSerializer.Deserialize<string[]>(Assert.Single(Final.All("ENTRYPOINT")));
        Assert.Equal(["dotnet", "PolicyService.Server.dll"], entrypoint!);
        Assert.True(File.Exists(Path.Combine(Repository.Root, "src", "PolicyService.Server", "PolicyService.Server.csproj")));
        Assert.Empty(Final.All("CMD"));
    }

    [Fact]
    public void The_SQLite_directory_prepared_in_the_image_is_the_one_the_dev_overlay_mounts()
    {
        var environment = string.Join(' ', Final.All("ENV"));
        var path = SqlitePath().Match(environment).Groups[1].Value;
        Assert.Equal("/var/lib/policyservice/policyservice.db", path);
        Assert.Contains(Final.All("COPY"), c => c.Contains("--chown=$APP_UID", StringComparison.Ordinal) && c.EndsWith(" /var/lib/policyservice", StringComparison.Ordinal));
        Assert.Contains($"Storage__SqlitePath={path}", File.ReadAllText(Path.Combine(Repository.Overlay("dev"), "policyservice.env")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_project_the_server_references_is_copied_before_the_restore()
    {
        var build = Stages[0].Instructions;
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "a restore step");
        var copiedBeforeRestore = build.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(i => i.Arguments.Split(' ')[..^1]).ToHashSet(StringComparer.Ordinal);

        foreach (var project in ProjectClosure(Path.Combine(Repository.Root, "src", "PolicyService.Server", "PolicyService.Server.csproj")))
            Assert.Contains(Path.GetRelativePath(Repository.Root, project).Replace('\\', '/'), copiedBeforeRestore);
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Assert.Contains(file, copiedBeforeRestore);
    }

    [Fact]
    public void Every_COPY_source_exists_and_the_build_context_leaves_out_build_output_and_tests()
    {
        var sources = Stages[0].All("COPY").Select(c => c.Split(' ')).Where(p => !p[0].StartsWith("--", StringComparison.Ordinal)).SelectMany(p => p[..^1]);
        Assert.All(sources, source => Assert.True(File.Exists(Path.Combine(Repository.Root, source)) || Directory.Exists(Path.Combine(Repository.Root, source)), source));

        var ignored = File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "tests/", ".git/", "node_modules/" })
            Assert.Contains(pattern, ignored);
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value)));
        }
        return seen;
    }

    [GeneratedRegex(@"^(--platform=\S+\s+)?(?<image>\S+)(\s+AS\s+(?<name>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"Storage__SqlitePath=(\S+)")]
    private static partial Regex SqlitePath();
}
