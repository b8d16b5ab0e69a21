using System.Globalization;
using PolicyService.Bench;
using PolicyService.Bench.Data;
using PolicyService.Bench.Load;

// policyservice-bench run  [--sizes 1000,100000,1000000] [--runs 3] [--duration 10] [--warmup 3] [--connections 4] [--streams 8]
//                          [--mix 2000] [--samples 60] [--batch 10000] [--server-cpu 1 --client-cpu 0] [--data-set wide|dense] [--freshness-writes 100]
//                          [--data DIR] [--out DIR] --server DLL
// policyservice-bench load --measures N [--controls N] [--batch 10000] [--data-set wide|dense] --db PATH
var command = args.Length > 0 ? args[0] : "help";
var options = Options.Parse(args.Skip(1).ToArray());
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

switch (command)
{
    case "run":
    {
        // --provider sqlserver: the SqlServer provider, on the server in POLICYSERVICE_BENCH_SQLSERVER (or POLICYSERVICE_TEST_SQLSERVER).
        var sqlServer = options.Get("provider", "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => null,
            "sqlserver" => Environment.GetEnvironmentVariable("POLICYSERVICE_BENCH_SQLSERVER") is { Length: > 0 } bench ? bench
                : Environment.GetEnvironmentVariable("POLICYSERVICE_TEST_SQLSERVER") is { Length: > 0 } test ? test
                : throw new ArgumentException("--provider sqlserver needs a connection string in POLICYSERVICE_BENCH_SQLSERVER or POLICYSERVICE_TEST_SQLSERVER."),
            var other => throw new ArgumentException($"--provider {other}: use sqlite or sqlserver."),
        };
        var harness = new HarnessOptions
        {
            ServerDll = Path.GetFullPath(options.Require("server")),
            DataDirectory = Path.GetFullPath(options.Get("data", "bench/.data")),
            OutputDirectory = Path.GetFullPath(options.Get("out", sqlServer is null ? "bench/results" : "bench/results/sqlserver")),
            Sizes = options.Get("sizes", "1000,100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            Runs = options.Int("runs", 3),
            Duration = TimeSpan.FromSeconds(options.Double("duration", 10)),
            WarmUp = TimeSpan.FromSeconds(options.Double("warmup", 3)),
            Connections = options.Int("connections", 4),
            Streams = options.Int("streams", 8),
            MixSize = options.Int("mix", 2000),
            Samples = options.Int("samples", 60),
            FreshnessWrites = options.Int("freshness-writes", Freshness.DefaultWrites),
            BatchSize = options.Int("batch", 10_000),
            ServerCpu = options.OptionalInt("server-cpu"),
            ClientCpu = options.OptionalInt("client-cpu"),
            Dense = options.Get("data-set", "wide") == "dense",
            SqlServer = sqlServer,
        };
        var machine = $"Machine: {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, load average at start {Harness.LoadAverage()}."
            + (sqlServer is null ? "" : $" Storage: the SqlServer provider on {await EngineAsync(sqlServer)}, running on the same machine (same CPUs).");
        var runs = await new Harness(harness, Console.Out).RunAsync(cancel.Token);
        Report.Write(runs, harness, machine);
        Console.WriteLine();
        Console.WriteLine(Report.Markdown(runs, harness, machine));
        var failed = runs.Any(r => !r.DutyCheck.Passed || !r.ExportCheck.Passed
            || r.HealthH2Load.Failures + r.HealthDriver.Failures + r.Duty.Failures + r.Export.Failures + r.DutyBasic.Failures + r.Timeline.Failures > 0
            || r.Duty.Requests == 0 || r.Export.Requests == 0 || r.HealthH2Load.Requests == 0
            || r.Freshness is { Passed: false });
        if (failed) Console.Error.WriteLine("FAILED: some calls failed, some sampled answers were wrong, or a write was not seen or answered stale by the other process (see above).");
        return failed ? 1 : 0;
    }
    case "load":
    {
        var measures = options.Int("measures", 1000);
        var report = await SyntheticLoad.LoadAsync(Path.GetFullPath(options.Require("db")), measures, options.Int("controls", Harness.Controls(measures)),
            options.Int("batch", 10_000), options.Int("seed", SyntheticPolicy.DefaultSeed), options.Get("data-set", "wide") != "dense", Console.Out, cancel.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Measures:N0} measures + {report.Controls:N0} controls in {report.Seconds:F1} s ({report.MeasuresPerSecond:N0} measures/s, change sets of {report.BatchSize:N0}, slowest {report.BatchSeconds.DefaultIfEmpty().Max():F2} s); {report.DatabaseBytes / 1048576.0:F0} MiB"));
        return 0;
    }
    default:
        Console.WriteLine("usage: run --server PATH/PolicyService.Server.dll [--sizes 1000,100000,1000000] [--runs 3] … | load --measures N --db PATH");
        return command == "help" ? 0 : 2;
}

// What the SQL Server benchmarked really is (e.g. Babelfish, not SQL Server): the first line of @@VERSION.
static async Task<string> EngineAsync(string connectionString)
{
    await using var connection = new Microsoft.Data.SqlClient.SqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT @@VERSION";
    return ((string)(await command.ExecuteScalarAsync())!).Split('\n')[0].Trim();
}

/// <summary>--name value pairs.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            values[args[i][2..]] = args[++i];
        }
        return new Options(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public string Require(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int? OptionalInt(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
