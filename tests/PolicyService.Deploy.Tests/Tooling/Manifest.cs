using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PolicyService.Deploy.Tests.Tooling;

/// <summary>The objects of one rendered overlay, as JSON trees (YAML 1.2 core scalars: plain 3 is a number, "3" a string).</summary>
internal sealed partial class Manifest(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public static Manifest Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new Manifest(stream.Documents
            .Where(d => d.RootNode is YamlMappingNode)
            .Select(d => (JsonObject)ToJson(d.RootNode)!)
            .ToList());
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Kind(o) == kind);

    public JsonObject Single(string kind) => Assert.Single(OfKind(kind));

    public JsonObject? Find(string kind, string name) => OfKind(kind).SingleOrDefault(o => Name(o) == name);

    public static string Kind(JsonObject o) => (string)o["kind"]!;

    public static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;

    /// <summary>The pod templates of every workload (Deployments and Jobs), with the name of their owner.</summary>
    public IEnumerable<(string Owner, JsonObject Template)> PodTemplates =>
        Objects.Where(o => Kind(o) is "Deployment" or "StatefulSet" or "DaemonSet" or "Job")
            .Select(o => ($"{Kind(o)}/{Name(o)}", (JsonObject)o["spec"]!["template"]!));

    public static IEnumerable<JsonObject> Containers(JsonObject template) =>
        Array(template["spec"]!["initContainers"]).Concat(Array(template["spec"]!["containers"]));

    public static IEnumerable<JsonObject> Array(JsonNode? node) => node is JsonArray array ? array.OfType<JsonObject>() : [];

    public static IReadOnlyDictionary<string, string> Labels(JsonNode? labels) =>
        labels is JsonObject o ? o.ToDictionary(p => p.Key, p => (string)p.Value!) : new Dictionary<string, string>();

    /// <summary>True when every label the selector asks for is on the object (matchLabels only; the manifests use no expressions).</summary>
    public static bool Selects(JsonNode? matchLabels, IReadOnlyDictionary<string, string> labels)
    {
        var wanted = Labels(matchLabels);
        return wanted.Count > 0 && wanted.All(w => labels.TryGetValue(w.Key, out var v) && v == w.Value);
    }

    /// <summary>A Kubernetes quantity in base units: "250m" → 0.25, "2" → 2, "128Mi" → 134217728.</summary>
    public static decimal Quantity(JsonNode? node)
    {
        var text = node!.GetValueKind() == System.Text.Json.JsonValueKind.Number ? node.ToJsonString() : (string)node!;
        var match = QuantityPattern().Match(text);
        Assert.True(match.Success, $"'{text}' is not a quantity");
        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return number * match.Groups[2].Value switch
        {
            "" => 1m,
            "m" => 0.001m,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            var unit => throw new FormatException($"unit {unit}"),
        };
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(value);
        if (value is "null" or "~" or "") return null;
        if (value is "true" or "false") return JsonValue.Create(value == "true");
        // A number parsed from its JSON text converts to whichever numeric type a test asks for (int, long, decimal).
        if (IntegerPattern().IsMatch(value) || FloatPattern().IsMatch(value))
            return (JsonValue)JsonNode.Parse(double.Parse(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture))!;
        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|Ki|Mi|Gi)?$")]
    private static partial Regex QuantityPattern();
}
