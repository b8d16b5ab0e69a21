using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

/// <summary>Every rendered object against the Kubernetes API schemas, offline (validate-manifests.mjs).</summary>
public class SchemaValidationTests
{
    [Theory]
    [MemberData(nameof(OverlayData.All), MemberType = typeof(OverlayData))]
    public async Task Every_rendered_object_is_valid_against_the_Kubernetes_schemas(string overlay)
    {
        var yaml = await Kustomize.RenderAsync(overlay);

        var results = await SchemaValidator.ValidateAsync(yaml);

        Assert.Equal(Manifest.Parse(yaml).Objects.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Errors.Count == 0, $"{r.Kind}/{r.Name}: {string.Join("; ", r.Errors)}"));
    }

    [Fact]
    public async Task The_validator_rejects_wrong_types_missing_fields_misspelt_fields_and_unknown_kinds()
    {
        // The validator must be able to fail: each of these mistakes is one a manifest edit could make.
        const string broken = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                    - name: c
                      image: example/c:1.0.0
                      ports:
                        - containerPort: "8080"
                      securityContext:
                        readOnlyRootFileSystem: true
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: fine
            spec:
              maxUnavailable: 1
              selector:
                matchLabels: {app: x}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
            """;

        var results = await SchemaValidator.ValidateAsync(broken);

        Assert.Equal(3, results.Count);
        var deployment = results[0].Errors;
        Assert.Contains(deployment, e => e.Contains("/spec", StringComparison.Ordinal) && e.Contains("selector", StringComparison.Ordinal));
        Assert.Contains(deployment, e => e.Contains("containerPort must be integer", StringComparison.Ordinal));
        Assert.Contains(deployment, e => e.Contains("securityContext/readOnlyRootFileSystem is not a field", StringComparison.Ordinal));
        Assert.Empty(results[1].Errors);
        Assert.Contains(results[2].Errors, e => e.Contains("no schema", StringComparison.Ordinal));
    }
}
