using System.Globalization;
using Google.Protobuf;
using Grpc.Health.V1;
using PolicyService.Bench.Data;
using PolicyService.Bench.Load;
using TradePolicy.V1;

namespace PolicyService.Bench;

public sealed record HarnessOptions
{
    public required string ServerDll { get; init; }
    public required string DataDirectory { get; init; }
    public required string OutputDirectory { get; init; }
    public IReadOnlyList<int> Sizes { get; init; } = [1_000, 100_000, 1_000_000];
    public int Runs { get; init; } = 3;
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public int Connections { get; init; } = 4;
    public int Streams { get; init; } = 8;
    public int MixSize { get; init; } = 2_000;
    public int Samples { get; init; } = 60;
    public int BatchSize { get; init; } = 10_000;
    public int Seed { get; init; } = SyntheticPolicy.DefaultSeed;
    /// <summary>The dense data set (every measure on 12 importers) instead of the wide one; see <see cref="SyntheticPolicy(int, bool)"/>.</summary>
    public bool Dense { get; init; }
    /// <summary>CPUs for the server and for the load generators (taskset), or null to let them share every CPU.</summary>
    public int? ServerCpu { get; init; }
    public int? ClientCpu { get; init; }
    /// <summary>The SQL Server to benchmark the SqlServer provider on (a connection string without a database), or null for SQLite.</summary>
    public string? SqlServer { get; init; }
    /// <summary>Writes of the freshness phase (f); 0 leaves the phase out.</summary>
    public int FreshnessWrites { get; init; } = Freshness.DefaultWrites;
}

/// <summary>One timed phase as reported: client-side rate and latency, server CPU per call.</summary>
public sealed record PhaseResult(string Client, long Requests, long Failures, double Seconds, double RequestsPerSecond,
    double P50Millis, double P99Millis, double ServerCpuMicrosPerRequest, double ServerCpuUtilisation, string? FirstFailure)
{
    public double P99OverP50 => P99Millis / P50Millis;
}

public sealed record RunResult(
    int Measures, int Controls, int Run, DateTime StartedUtc, string LoadAverage, double StartToServingSeconds, long PeakRssBytes,
    PhaseResult HealthH2Load, PhaseResult HealthDriver, PhaseResult Duty, PhaseResult Export,
    SampleCheck DutyCheck, SampleCheck ExportCheck, IReadOnlyDictionary<string, long> RoundTrips, long DutyCalls, long ExportCalls,
    PhaseResult DutyBasic, double FullAnswerBytes, double BasicAnswerBytes, PhaseResult Timeline, FreshnessResult? Freshness)
{
    /// <summary>A two-year GetDutyTimeline against one LookupDuty: server CPU per call, same run.</summary>
    public double TimelineCostOverLookup => Timeline.ServerCpuMicrosPerRequest / Duty.ServerCpuMicrosPerRequest;

    public double DutyBasicOverHealth => DutyBasic.RequestsPerSecond / HealthDriver.RequestsPerSecond;

    /// <summary>LookupDuty over Health/Check, both driven by the same client in this run.</summary>
    public double DutyOverHealth => Duty.RequestsPerSecond / HealthDriver.RequestsPerSecond;

    public double ExportOverHealth => Export.RequestsPerSecond / HealthDriver.RequestsPerSecond;

    /// <summary>LookupDuty (custom client) over Health/Check driven by h2load: the stricter ratio.</summary>
    public double DutyOverH2LoadHealth => Duty.RequestsPerSecond / HealthH2Load.RequestsPerSecond;

    public double ExportOverH2LoadHealth => Export.RequestsPerSecond / HealthH2Load.RequestsPerSecond;

    public double RoundTripsPerLookup => DutyCalls == 0 ? 0 : RoundTrips.GetValueOrDefault("find_tariff_candidates") / (double)DutyCalls;

    public double RoundTripsPerExportCheck => ExportCalls == 0 ? 0 : RoundTrips.GetValueOrDefault("find_export_candidates") / (double)ExportCalls;
}

/// <summary>
/// The benchmark: for each data size and run, start the Release server on its database, measure start to SERVING, then
/// (a) Health/Check with h2load and with the mix driver, (b) LookupDuty, (d) LookupDuty in the BASIC view and (c)
/// CheckExport over their mixes, then check
/// sampled answers with a real gRPC client and stop the server to read its round-trip counters; then (f) freshness
/// across two further server processes on a copy of the database (<see cref="Freshness"/>).
/// </summary>
public sealed class Harness(HarnessOptions options, TextWriter log)
{
    public const string HealthMethod = "/grpc.health.v1.Health/Check";
    public const string DutyMethod = "/tradepolicy.v1.TariffService/LookupDuty";
    public const string ExportMethod = "/tradepolicy.v1.ExportControlService/CheckExport";
    public const string TimelineMethod = "/tradepolicy.v1.TariffService/GetDutyTimeline";

    public async Task<List<RunResult>> RunAsync(CancellationToken ct)
    {
        if (!H2Load.IsInstalled()) throw new InvalidOperationException("h2load is not installed (Debian: apt-get install -y nghttp2-client).");
        Directory.CreateDirectory(options.DataDirectory);
        var data = new SyntheticPolicy(options.Seed, wide: !options.Dense);
        var databases = new Dictionary<int, IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (var size in options.Sizes)
        {
            var name = options.Dense ? $"policy-dense-{size}" : $"policy-{size}";
            if (options.SqlServer is { } sqlServer)
            {
                var database = "policyservice_bench_" + name.Replace('-', '_');
                var report = await SyntheticLoad.EnsureSqlServerAsync(sqlServer, database, Path.Combine(options.DataDirectory, $"sqlserver-{name}.json"),
                    size, Controls(size), options.BatchSize, options.Seed, !options.Dense, log, ct);
                log.WriteLine(Invariant($"  {size:N0} measures on SQL Server ({database}), loaded at {report.MeasuresPerSecond:N0} measures/s"));
                databases[size] = [new("Storage:Provider", "SqlServer"), new("ConnectionStrings:Policy", SyntheticLoad.ConnectionString(sqlServer, database))];
            }
            else
            {
                var path = Path.Combine(options.DataDirectory, name + ".db");
                var report = await SyntheticLoad.EnsureAsync(path, size, Controls(size), options.BatchSize, options.Seed, !options.Dense, log, ct);
                log.WriteLine(Invariant($"  {size:N0} measures: {report.DatabaseBytes / 1048576.0:F0} MiB, loaded at {report.MeasuresPerSecond:N0} measures/s"));
                databases[size] = [new("Storage:SqlitePath", path)];
            }
        }

        var results = new List<RunResult>();
        // Sizes interleave within each run, so slow drift on the machine touches every size alike.
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var size in options.Sizes)
            {
                log.WriteLine(Invariant($"== run {run}/{options.Runs}, {size:N0} measures (load average {LoadAverage()})"));
                results.Add(await RunOnceAsync(data, size, databases[size], run, ct));
            }
        }
        return results;
    }

    public static int Controls(int measures) => Math.Max(100, measures / 10);

    private static Google.Type.Date Shift(Google.Type.Date d, int years) =>
        new() { Year = d.Year + years, Month = d.Month, Day = d.Month == 2 && d.Day == 29 ? 28 : d.Day };

    private async Task<RunResult> RunOnceAsync(SyntheticPolicy data, int measures, IReadOnlyList<KeyValuePair<string, string>> database, int run, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        var load = LoadAverage();
        var controls = Controls(measures);
        var dutyMix = RequestMix.Duty(data, measures, options.MixSize, options.Seed + run);
        var exportMix = RequestMix.Export(data, controls, options.MixSize, options.Seed + run);
        var dutyBodies = dutyMix.Select(r => GrpcLoadDriver.Frame(r.ToByteArray())).ToArray();
        var basicBodies = dutyMix.Select(r => GrpcLoadDriver.Frame(new LookupDutyRequest(r) { View = DutyView.Basic }.ToByteArray())).ToArray();
        var exportBodies = exportMix.Select(r => GrpcLoadDriver.Frame(r.ToByteArray())).ToArray();
        // The same products over two years around each lookup's date: the question a sourcing team asks of a cliff.
        var timelineBodies = dutyMix.Select(r => GrpcLoadDriver.Frame(new GetDutyTimelineRequest
        {
            Importer = r.Importer, Origin = r.Origin, HsCode = r.HsCode, StartDate = Shift(r.AsOf, -1), EndDate = Shift(r.AsOf, 1),
        }.ToByteArray())).ToArray();
        // Liveness runs no database check: the cost of the call itself, the transport's ceiling.
        var healthBody = GrpcLoadDriver.Frame(new HealthCheckRequest { Service = "liveness" }.ToByteArray());

        await using var server = await ServerUnderTest.StartAsync(options.ServerDll, database, options.ServerCpu, ct);
        log.WriteLine(Invariant($"  start to SERVING: {server.StartToServing.TotalSeconds:F2} s"));
        var work = Directory.CreateTempSubdirectory("policyservice-bench-").FullName;
        try
        {
            var h2 = await MeasureAsync(server, "h2load", measuring => H2Load.RunAsync(server.Address, HealthMethod, healthBody,
                options.Connections, options.Streams, options.WarmUp, options.Duration, options.ClientCpu, work, measuring, ct));
            Print("(a) Health/Check, h2load", h2);
            var health = await MeasureAsync(server, "driver", measuring => GrpcLoadDriver.RunAsync(server.Address, HealthMethod, [healthBody],
                options.Connections, options.Streams, options.WarmUp, options.Duration, measuring, ct));
            Print("(a) Health/Check, driver", health);
            long dutyCalls = 0, exportCalls = 0;
            var duty = await MeasureAsync(server, "driver", async measuring =>
            {
                var r = await GrpcLoadDriver.RunAsync(server.Address, DutyMethod, dutyBodies, options.Connections, options.Streams, options.WarmUp, options.Duration, measuring, ct);
                dutyCalls += r.AllCalls;
                return r;
            });
            Print("(b) LookupDuty, driver", duty);
            var basic = await MeasureAsync(server, "driver", async measuring =>
            {
                var r = await GrpcLoadDriver.RunAsync(server.Address, DutyMethod, basicBodies, options.Connections, options.Streams, options.WarmUp, options.Duration, measuring, ct);
                dutyCalls += r.AllCalls;
                return r;
            });
            Print("(d) LookupDuty BASIC", basic);
            var export = await MeasureAsync(server, "driver", async measuring =>
            {
                var r = await GrpcLoadDriver.RunAsync(server.Address, ExportMethod, exportBodies, options.Connections, options.Streams, options.WarmUp, options.Duration, measuring, ct);
                exportCalls += r.AllCalls;
                return r;
            });
            Print("(c) CheckExport, driver", export);
            var timeline = await MeasureAsync(server, "driver", async measuring =>
            {
                var r = await GrpcLoadDriver.RunAsync(server.Address, TimelineMethod, timelineBodies, options.Connections, options.Streams, options.WarmUp, options.Duration, measuring, ct);
                dutyCalls += r.AllCalls;   // one candidate read per timeline, as per lookup
                return r;
            });
            Print("(e) GetDutyTimeline, 2 years", timeline);

            var step = Math.Max(1, dutyMix.Count / options.Samples);
            var dutySamples = dutyMix.Where((_, i) => i % step == 0).Take(options.Samples).ToList();
            var exportSamples = exportMix.Where((_, i) => i % step == 0).Take(options.Samples).ToList();
            var dutyCheck = await AnswerCheck.DutyAsync(server.Channel, data, measures, dutySamples, ct);
            var exportCheck = await AnswerCheck.ExportAsync(server.Channel, data, controls, exportSamples, ct);
            dutyCalls += dutySamples.Count;
            exportCalls += exportSamples.Count;
            log.WriteLine(Invariant($"  answers checked with a gRPC client: LookupDuty {dutyCheck.Correct}/{dutyCheck.Checked} right ({dutyCheck.NonEmpty} non-empty), CheckExport {exportCheck.Correct}/{exportCheck.Checked} right ({exportCheck.NonEmpty} non-empty)"));
            foreach (var m in dutyCheck.Mismatches.Concat(exportCheck.Mismatches).Take(5)) log.WriteLine("    MISMATCH " + m);

            var (fullBytes, basicBytes) = await AnswerCheck.AnswerSizesAsync(server.Channel, dutySamples, ct);
            dutyCalls += 2 * dutySamples.Count;
            log.WriteLine(Invariant($"  mean answer size over the samples: FULL {fullBytes:F0} bytes, BASIC {basicBytes:F0} bytes"));
            var peak = server.PeakRssBytes();
            var output = await server.StopAsync();
            var roundTrips = ServerUnderTest.RoundTrips(output);
            var freshness = await FreshnessAsync(measures, database, ct);
            var result = new RunResult(measures, controls, run, started, load, server.StartToServing.TotalSeconds, peak,
                h2, health, duty, export, dutyCheck, exportCheck, roundTrips, dutyCalls, exportCalls, basic, fullBytes, basicBytes, timeline, freshness);
            log.WriteLine(Invariant($"  peak RSS {peak / 1048576.0:F0} MiB; (b)/(a) {result.DutyOverHealth:F2}, (c)/(a) {result.ExportOverHealth:F2} (same client); against h2load's (a): {result.DutyOverH2LoadHealth:F2}, {result.ExportOverH2LoadHealth:F2}"));
            log.WriteLine(Invariant($"  store round trips: {result.RoundTripsPerLookup:F3} per LookupDuty, {result.RoundTripsPerExportCheck:F3} per CheckExport ({string.Join(", ", roundTrips.Select(kv => $"{kv.Key}={kv.Value}"))})"));
            return result;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>(f): after the measured server has stopped, two servers on a copy of its SQLite database; SQLite only.</summary>
    private async Task<FreshnessResult?> FreshnessAsync(int measures, IReadOnlyList<KeyValuePair<string, string>> database, CancellationToken ct)
    {
        if (options.FreshnessWrites <= 0) return null;
        var path = database.FirstOrDefault(kv => kv.Key == "Storage:SqlitePath").Value;
        if (path is null)
        {
            log.WriteLine("  (f) freshness across processes: not run (it writes to a copy of the SQLite database file)");
            return null;
        }
        var f = await Freshness.RunAsync(options.ServerDll, path, measures, options.FreshnessWrites, options.ServerCpu, log, ct);
        log.WriteLine(Invariant($"  (f) freshness, 2 processes   {f.Writes} writes: new version on the other process after median {f.MedianMillis:F0} ms, p99 {f.P99Millis:F0} ms, max {f.MaxMillis:F0} ms ({f.Polls} polls{(f.TimedOut > 0 ? $", {f.TimedOut} NOT SEEN within 10 s" : "")})"));
        log.WriteLine(Invariant($"  (f) with min_change_token     {f.StaleAnswers} stale of {f.TokenReads} reads (median {f.TokenReadMedianMillis:F0} ms, max {f.TokenReadMaxMillis:F0} ms){(f.Failures > 0 ? $"  FAILURES {f.Failures}: {f.FirstFailure}" : "")}"));
        return f;
    }

    private static async Task<PhaseResult> MeasureAsync(ServerUnderTest server, string client, Func<Action<bool>, Task<PhaseLoad>> phase)
    {
        TimeSpan cpuStart = default, cpuEnd = default;
        var load = await phase(measuring =>
        {
            if (measuring) cpuStart = server.CpuTime();
            else cpuEnd = server.CpuTime();
        });
        var cpu = (cpuEnd - cpuStart).TotalSeconds;
        var sorted = load.LatenciesMicros.ToArray();
        Array.Sort(sorted);
        return new PhaseResult(client, load.Requests, load.Failures, load.Seconds, load.RequestsPerSecond,
            Percentile(sorted, 0.50) / 1000.0, Percentile(sorted, 0.99) / 1000.0,
            load.Requests == 0 ? 0 : cpu * 1e6 / load.Requests, cpu / load.Seconds, load.FirstFailure);
    }

    private void Print(string what, PhaseResult p) => log.WriteLine(Invariant(
        $"  {what,-26} {p.RequestsPerSecond,9:N0} req/s  p50 {p.P50Millis,6:F2} ms  p99 {p.P99Millis,6:F2} ms  server CPU {p.ServerCpuMicrosPerRequest,6:F1} µs/req ({p.ServerCpuUtilisation:F2} cores){(p.Failures > 0 ? $"  FAILURES {p.Failures}: {p.FirstFailure}" : "")}"));


    public static double Percentile(int[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
