using System.Text.Json.Nodes;
using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

/// <summary>How traffic reaches the server pods: the two Services and the NetworkPolicy.</summary>
public class NetworkPolicyTests
{
    private static IReadOnlyDictionary<string, string> ServerPodLabels(Manifest manifest) =>
        Manifest.Labels(manifest.Single("Deployment")["spec"]!["template"]!["metadata"]!["labels"]);

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task A_ClusterIP_and_a_headless_Service_both_expose_the_grpc_and_http_ports_to_the_server_pods_only(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);
        var services = manifest.OfKind("Service").ToList();

        var clusterIp = Assert.Single(services, s => (string?)s["spec"]!["clusterIP"] != "None");
        Assert.Equal("ClusterIP", (string?)clusterIp["spec"]!["type"] ?? "ClusterIP");
        var headless = Assert.Single(services, s => (string?)s["spec"]!["clusterIP"] == "None");
        Assert.NotEqual(true, (bool?)headless["spec"]!["publishNotReadyAddresses"]);

        var otherPods = manifest.PodTemplates.Where(t => !t.Owner.StartsWith("Deployment/", StringComparison.Ordinal))
            .Select(t => Manifest.Labels(t.Template["metadata"]!["labels"])).ToList();
        foreach (var service in services)
        {
            var ports = Manifest.Array(service["spec"]!["ports"]).ToList();
            Assert.Equal(2, ports.Count);
            var port = Assert.Single(ports, p => (string?)p["name"] == "grpc");
            Assert.Equal(8080, (int)port["port"]!);
            Assert.Equal("grpc", (string?)port["targetPort"]);
            Assert.Equal("kubernetes.io/h2c", (string?)port["appProtocol"]);
            // The same API as JSON over HTTP/1.1, with the analysts' page.
            var http = Assert.Single(ports, p => (string?)p["name"] == "http");
            Assert.Equal(8081, (int)http["port"]!);
            Assert.Equal("http", (string?)http["targetPort"]);
            Assert.Equal("http", (string?)http["appProtocol"]);
            Assert.True(Manifest.Selects(service["spec"]!["selector"], ServerPodLabels(manifest)), $"{Manifest.Name(service)} selects the server pods");
            // A migration pod has no listener: a Service that selected it would send calls into a closed port.
            Assert.All(otherPods, labels => Assert.False(Manifest.Selects(service["spec"]!["selector"], labels)));
        }
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task The_network_policy_admits_only_labelled_clients_and_only_to_the_grpc_and_http_ports(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);
        var policy = manifest.Single("NetworkPolicy")["spec"]!;

        Assert.True(Manifest.Selects(policy["podSelector"]!["matchLabels"], ServerPodLabels(manifest)));
        Assert.Contains("Ingress", policy["policyTypes"]!.AsArray().Select(t => (string?)t));
        var rules = Manifest.Array(policy["ingress"]).ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            var peers = Manifest.Array(rule["from"]).ToList();
            Assert.NotEmpty(peers); // an empty "from" would admit every source
            Assert.All(peers, peer =>
            {
                Assert.Null(peer["ipBlock"]);
                Assert.Equal(new Dictionary<string, string> { ["tradepolicy.io/policyservice-client"] = "true" },
                    Manifest.Labels(peer["podSelector"]?["matchLabels"]));
            });
            Assert.Equal([8080, 8081], Manifest.Array(rule["ports"]).Select(p => (int)p["port"]!).Order());
        });
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Egress_is_limited_to_DNS_the_database_and_OTLP(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);
        var policy = manifest.Single("NetworkPolicy")["spec"]!;

        Assert.Contains("Egress", policy["policyTypes"]!.AsArray().Select(t => (string?)t));
        var rules = Manifest.Array(policy["egress"]).ToList();
        Assert.NotEmpty(rules);
        // Every rule names its ports: a rule without ports would let the pod reach anything.
        var allowed = rules.SelectMany(rule => Manifest.Array(rule["ports"]).Select(p => ((string?)p["protocol"] ?? "TCP", (int)p["port"]!))).ToHashSet();
        Assert.All(rules, rule => Assert.NotEmpty(Manifest.Array(rule["ports"])));
        Assert.Equal(new HashSet<(string, int)> { ("UDP", 53), ("TCP", 53), ("TCP", 1433), ("TCP", 4317), ("TCP", 4318) }, allowed);
    }

    [Fact]
    public async Task Both_overlays_render_the_same_Services_and_network_policy_apart_from_namespace_and_instance()
    {
        static string Shape(JsonObject o)
        {
            var copy = (JsonObject)o.DeepClone();
            copy["metadata"]!.AsObject().Remove("namespace");
            copy["metadata"]!["labels"]!.AsObject().Remove("app.kubernetes.io/instance");
            return copy.ToJsonString();
        }
        var dev = await Kustomize.LoadAsync("dev");
        var production = await Kustomize.LoadAsync("production");

        foreach (var kind in new[] { "Service", "NetworkPolicy" })
            Assert.Equal(dev.OfKind(kind).Select(Shape), production.OfKind(kind).Select(Shape));
    }
}
