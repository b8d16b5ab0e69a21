using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

public class RenderingTests
{
    [Fact]
    public void There_are_a_dev_and_a_production_overlay() =>
        Assert.Equal(["dev", "production"], Repository.Overlays);

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task The_overlay_renders_into_the_objects_a_deployment_needs(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        foreach (var kind in new[] { "Namespace", "ServiceAccount", "ConfigMap", "Deployment", "PodDisruptionBudget", "NetworkPolicy" })
            Assert.Single(manifest.OfKind(kind));
        Assert.Equal(2, manifest.OfKind("Service").Count());
        // Every namespaced object lands in the overlay's namespace.
        var ns = Manifest.Name(manifest.Single("Namespace"));
        Assert.All(manifest.Objects.Where(o => Manifest.Kind(o) != "Namespace"), o => Assert.Equal(ns, (string?)o["metadata"]!["namespace"]));
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task No_secret_is_rendered_or_generated_only_referenced(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        Assert.Empty(manifest.OfKind("Secret"));
        var kustomizations = Directory.GetFiles(Repository.Deploy, "kustomization.yaml", SearchOption.AllDirectories);
        Assert.NotEmpty(kustomizations);
        Assert.All(kustomizations, file => Assert.DoesNotContain("secretGenerator", File.ReadAllText(file), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task The_configuration_map_name_carries_a_content_hash_so_a_change_rolls_the_pods(string overlay)
    {
        var manifest = await Kustomize.LoadAsync(overlay);

        var configMap = Manifest.Name(manifest.Single("ConfigMap"));
        Assert.Matches("^policyservice-config-[a-z0-9]{10}$", configMap);
        Assert.All(manifest.PodTemplates, t => Assert.All(Manifest.Containers(t.Template), c =>
            Assert.Contains(Manifest.Array(c["envFrom"]), e => (string?)e["configMapRef"]?["name"] == configMap)));
    }
}
