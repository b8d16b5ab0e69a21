using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

/// <summary>The deployment policy, asserted on what kubectl kustomize renders for each overlay.</summary>
public partial class WorkloadPolicyTests
{
    private static async Task<(Manifest Manifest, JsonObject Template, JsonObject Container)> ServerAsync(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);
        var template = (JsonObject)manifest.Single("Deployment")["spec"]!["template"]!;
        var container = Assert.Single(Manifest.Containers(template), c => (string?)c["name"] == "policyservice");
        return (manifest, template, container);
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Startup_liveness_and_readiness_are_native_gRPC_health_probes_on_the_grpc_port(string overlay)
    {
        var (_, _, container) = await ServerAsync(overlay);
        var grpcPort = Assert.Single(Manifest.Array(container["ports"]), p => (string?)p["name"] == "grpc");
        Assert.Equal(8080, (int)grpcPort["containerPort"]!);
        Assert.Equal(8081, (int)Assert.Single(Manifest.Array(container["ports"]), p => (string?)p["name"] == "http")["containerPort"]!);

        var expected = new Dictionary<string, string> { ["startupProbe"] = "liveness", ["livenessProbe"] = "liveness", ["readinessProbe"] = "readiness" };
        foreach (var (probe, service) in expected)
        {
            var grpc = container[probe]?["grpc"];
            Assert.True(grpc is not null, $"{probe} is not a gRPC probe");
            Assert.Equal(8080, (int)grpc["port"]!);
            Assert.Equal(service, (string?)grpc["service"]);
            Assert.Null(container[probe]!["httpGet"]);
            Assert.Null(container[probe]!["exec"]);
        }
        // Readiness must be able to wait for the database check, which gives up after 3 s by itself.
        Assert.True((int)container["readinessProbe"]!["timeoutSeconds"]! > 3);
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Every_container_requests_cpu_and_memory_and_is_limited_above_its_request(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        Assert.All(manifest.PodTemplates.SelectMany(t => Manifest.Containers(t.Template).Select(c => (t.Owner, Container: c))), x =>
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = x.Container["resources"]?["requests"]?[resource];
                var limit = x.Container["resources"]?["limits"]?[resource];
                Assert.True(request is not null && limit is not null, $"{x.Owner}: {resource} request and limit");
                Assert.True(Manifest.Quantity(request) > 0 && Manifest.Quantity(request) <= Manifest.Quantity(limit), $"{x.Owner}: {resource} {request} ≤ {limit}");
            }
        });
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Every_pod_runs_as_non_root_on_a_read_only_root_without_privileges_capabilities_or_unconfined_syscalls(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        Assert.NotEmpty(manifest.PodTemplates);
        Assert.All(manifest.PodTemplates, t =>
        {
            var pod = t.Template["spec"]!["securityContext"];
            Assert.True((bool?)pod?["runAsNonRoot"] == true, $"{t.Owner}: pod runAsNonRoot");
            Assert.True((long?)pod?["runAsUser"] is null or > 0, $"{t.Owner}: runAsUser is not root");
            Assert.Equal("RuntimeDefault", (string?)pod?["seccompProfile"]?["type"]);
            Assert.NotEqual(true, (bool?)t.Template["spec"]!["hostNetwork"]);
            Assert.NotEqual(true, (bool?)t.Template["spec"]!["hostPID"]);
            Assert.All(Manifest.Containers(t.Template), c =>
            {
                var sc = c["securityContext"];
                Assert.True(sc is not null, $"{t.Owner}/{c["name"]}: securityContext");
                Assert.True((bool?)sc["readOnlyRootFilesystem"] == true, $"{t.Owner}/{c["name"]}: readOnlyRootFilesystem");
                Assert.True((bool?)sc["allowPrivilegeEscalation"] == false, $"{t.Owner}/{c["name"]}: allowPrivilegeEscalation false");
                Assert.NotEqual(true, (bool?)sc["privileged"]);
                Assert.NotEqual(false, (bool?)sc["runAsNonRoot"]);
                Assert.Equal(["ALL"], sc["capabilities"]?["drop"]?.AsArray().Select(d => (string?)d));
                Assert.Null(sc["capabilities"]?["add"]);
                Assert.Equal("RuntimeDefault", (string?)(sc["seccompProfile"] ?? pod?["seccompProfile"])?["type"]);
            });
        });
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Server_pods_spread_across_nodes(string overlay)
    {
        var (_, template, _) = await ServerAsync(overlay);
        var labels = Manifest.Labels(template["metadata"]!["labels"]);

        var byNode = Assert.Single(Manifest.Array(template["spec"]!["topologySpreadConstraints"]),
            c => (string?)c["topologyKey"] == "kubernetes.io/hostname");
        Assert.Equal(1, (int)byNode["maxSkew"]!);
        Assert.Equal("DoNotSchedule", (string?)byNode["whenUnsatisfiable"]);
        Assert.True(Manifest.Selects(byNode["labelSelector"]!["matchLabels"], labels), "the constraint counts the server's own pods");
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task A_disruption_budget_covers_the_server_pods_without_ever_blocking_a_node_drain(string overlay)
    {
        var (manifest, template, _) = await ServerAsync(overlay);
        var pdb = manifest.Single("PodDisruptionBudget");

        Assert.True(Manifest.Selects(pdb["spec"]!["selector"]!["matchLabels"], Manifest.Labels(template["metadata"]!["labels"])));
        // maxUnavailable 1 lets one pod go at a time, even with a single replica; minAvailable could pin a node forever.
        Assert.Equal(1, (int)pdb["spec"]!["maxUnavailable"]!);
        Assert.Null(pdb["spec"]!["minAvailable"]);
        Assert.Equal("AlwaysAllow", (string?)pdb["spec"]!["unhealthyPodEvictionPolicy"]);
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Pods_run_under_a_service_account_that_mounts_no_token(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        Assert.All(manifest.PodTemplates, t =>
        {
            var name = (string?)t.Template["spec"]!["serviceAccountName"];
            var account = manifest.Find("ServiceAccount", name ?? "default");
            Assert.True(account is not null, $"{t.Owner}: its service account '{name}' is rendered with it");
            Assert.False((bool?)account["automountServiceAccountToken"] ?? true);
            Assert.NotEqual(true, (bool?)t.Template["spec"]!["automountServiceAccountToken"]);
        });
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Every_image_is_pinned_to_a_release_tag_or_a_digest_never_latest(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        Assert.All(manifest.PodTemplates.SelectMany(t => Manifest.Containers(t.Template)), c =>
        {
            var image = (string)c["image"]!;
            var pinned = PinnedImage().Match(image);
            Assert.True(pinned.Success, $"{image} is not registry/repository:tag or @sha256:digest");
            Assert.NotEqual("latest", pinned.Groups["tag"].Value);
            Assert.NotEqual("Always", (string?)c["imagePullPolicy"]);
        });
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Configuration_comes_from_the_config_map_and_the_shutdown_budget_fits_the_grace_period(string overlay)
    {
        var (manifest, template, container) = await ServerAsync(overlay);
        var config = manifest.Single("ConfigMap")["data"]!.AsObject();

        // Literal values in the pod spec are only those built from the downward API; the rest is the ConfigMap's (or a Secret's).
        Assert.All(Manifest.Array(container["env"]), e => Assert.True(
            e["valueFrom"] is not null || ((string?)e["value"])?.Contains("$(", StringComparison.Ordinal) == true, $"env {e["name"]} is set inline"));
        Assert.Equal("Http2", (string?)config["Kestrel__EndpointDefaults__Protocols"]);
        Assert.Equal("http://+:8080", (string?)config["Urls"]);
        Assert.Equal("http://+:8081", (string?)config["HttpApi__Url"]);
        Assert.Equal("json", (string?)config["Logging__Console__FormatterName"]);
        Assert.Equal("true", (string?)config["Logging__Console__FormatterOptions__IncludeScopes"]);

        var drain = int.Parse((string)config["Shutdown__DrainDelaySeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
        var timeout = int.Parse((string)config["Shutdown__TimeoutSeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
        var grace = (int)template["spec"]!["terminationGracePeriodSeconds"]!;
        Assert.InRange(drain, 1, 15);
        Assert.True(drain + timeout < grace, $"drain {drain} s + in-flight timeout {timeout} s must end before SIGKILL at {grace} s");
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task The_namespace_enforces_the_restricted_pod_security_standard(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        Assert.Equal("restricted", Manifest.Labels(manifest.Single("Namespace")["metadata"]!["labels"])["pod-security.kubernetes.io/enforce"]);
    }

    [GeneratedRegex(@"^(?<repo>[a-z0-9.\-]+(:[0-9]+)?/[a-z0-9._/\-]+)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127})|@sha256:[a-f0-9]{64})$")]
    private static partial Regex PinnedImage();
}
