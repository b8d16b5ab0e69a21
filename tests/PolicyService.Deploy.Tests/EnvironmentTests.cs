using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

/// <summary>What differs between the overlays: database, replicas, autoscaling, migrations, telemetry export.</summary>
public partial class EnvironmentTests
{
    private static JsonObject Config(Manifest m) => m.Single("ConfigMap")["data"]!.AsObject();

    private static JsonObject PodSpec(JsonObject workload) => (JsonObject)workload["spec"]!["template"]!["spec"]!;

    private static JsonObject Container(JsonObject workload) => Assert.Single(Manifest.Array(PodSpec(workload)["containers"]));

    private static JsonObject? SecretRef(JsonObject container, string variable) =>
        Manifest.Array(container["env"]).SingleOrDefault(e => (string?)e["name"] == variable)?["valueFrom"]?["secretKeyRef"] as JsonObject;

    [Fact]
    public async Task Dev_runs_one_replica_on_embedded_SQLite_on_a_scratch_volume_under_a_read_only_root()
    {
        var manifest = await Kustomize.LoadAsync("dev");
        var deployment = manifest.Single("Deployment");
        var container = Container(deployment);

        Assert.Equal(1, (int)deployment["spec"]!["replicas"]!);
        Assert.Empty(manifest.OfKind("HorizontalPodAutoscaler"));
        Assert.Empty(manifest.OfKind("Job")); // each pod migrates and seeds its own file at start-up
        Assert.Equal("Sqlite", (string?)Config(manifest)["Storage__Provider"]);
        Assert.Null(SecretRef(container, "ConnectionStrings__Policy"));

        // The database directory is a mounted emptyDir: writable although the root file system is read-only.
        var directory = Path.GetDirectoryName((string)Config(manifest)["Storage__SqlitePath"]!)!;
        var mount = Assert.Single(Manifest.Array(container["volumeMounts"]), m => (string?)m["mountPath"] == directory);
        var volume = Assert.Single(Manifest.Array(PodSpec(deployment)["volumes"]), v => (string?)v["name"] == (string?)mount["name"]);
        Assert.NotNull(volume["emptyDir"]);
        Assert.NotEqual(true, (bool?)mount["readOnly"]);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.Null(Config(manifest)["OTEL_EXPORTER_OTLP_ENDPOINT"]); // nothing is exported from dev unless asked
    }

    [Fact]
    public async Task Production_autoscales_from_three_replicas_on_SQL_Server_with_the_connection_string_from_a_secret()
    {
        var manifest = await Kustomize.LoadAsync("production");
        var deployment = manifest.Single("Deployment");
        var hpa = manifest.Single("HorizontalPodAutoscaler")["spec"]!;

        Assert.Equal("Deployment", (string?)hpa["scaleTargetRef"]!["kind"]);
        Assert.Equal(Manifest.Name(deployment), (string?)hpa["scaleTargetRef"]!["name"]);
        Assert.True((int)hpa["minReplicas"]! >= 3, "at least three replicas");
        Assert.True((int)hpa["maxReplicas"]! > (int)hpa["minReplicas"]!);
        // The autoscaler owns the count; a count in the Deployment would reset it on every apply.
        Assert.Null(deployment["spec"]!["replicas"]);

        Assert.Equal("SqlServer", (string?)Config(manifest)["Storage__Provider"]);
        var secret = SecretRef(Container(deployment), "ConnectionStrings__Policy");
        Assert.Equal("policyservice-sql", (string?)secret?["name"]);
        Assert.Equal("connection-string", (string?)secret?["key"]);
        Assert.StartsWith("http", (string?)Config(manifest)["OTEL_EXPORTER_OTLP_ENDPOINT"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_migrates_once_per_release_with_a_Job_named_after_the_image_tag()
    {
        var manifest = await Kustomize.LoadAsync("production");
        var deployment = manifest.Single("Deployment");
        var job = manifest.Single("Job");
        var migrate = Container(job);
        var image = (string)Container(deployment)["image"]!;

        Assert.Equal(["migrate"], migrate["args"]!.AsArray().Select(a => (string?)a));
        Assert.Null(migrate["command"]); // the image's entrypoint: dotnet PolicyService.Server.dll migrate
        Assert.Equal(image, (string?)migrate["image"]);
        // One Job per release: its name ends with the release tag, and is a valid name for the job-name label too.
        var name = Manifest.Name(job);
        Assert.Equal($"policyservice-migrate-{image[(image.LastIndexOf(':') + 1)..]}", name);
        Assert.Matches(DnsLabel(), name);
        Assert.Equal("Never", (string?)PodSpec(job)["restartPolicy"]);
        Assert.InRange((int)job["spec"]!["backoffLimit"]!, 1, 10);
        Assert.NotNull(job["spec"]!["activeDeadlineSeconds"]);
        Assert.NotNull(job["spec"]!["ttlSecondsAfterFinished"]);
        // The migration has its own login (DDL rights); the servers' login can stay read-only.
        Assert.Equal("policyservice-sql-migrator", (string?)SecretRef(migrate, "ConnectionStrings__Policy")?["name"]);
        Assert.Equal("SqlServer", (string?)Config(manifest)["Storage__Provider"]);
        // New pods stay unready until the schema is current, so the rollout must never take an old pod away first.
        Assert.Equal(0, (int)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
