using System.Text.Json;

namespace PolicyService.Deploy.Tests.Tooling;

/// <summary>Runs validate-manifests.mjs (node, with kubernetes-models from the repository's npm packages).</summary>
internal static class SchemaValidator
{
    public sealed record ObjectResult(string? ApiVersion, string? Kind, string? Name, IReadOnlyList<string> Errors);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Script => Path.Combine(Repository.Root, "tests", "PolicyService.Deploy.Tests", "validate-manifests.mjs");

    public static async Task<IReadOnlyList<ObjectResult>> ValidateAsync(string yaml)
    {
        var node = Tool.OnPath("node");
        if (node is null) Repository.SkipOrFail("node is not installed");
        if (!Directory.Exists(Path.Combine(Repository.Root, "node_modules", "kubernetes-models")))
            Repository.SkipOrFail("the npm packages are not installed (run 'npm ci' in the repository)");

        var result = await Tool.RunAsync(node, [Script], input: yaml);
        Assert.True(result.ExitCode is 0 or 1, $"the validator failed ({result.ExitCode}):\n{result.Error}");
        return JsonSerializer.Deserialize<List<ObjectResult>>(result.Output, Json)!;
    }
}
