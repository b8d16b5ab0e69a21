using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyService.Bench.Load;

namespace PolicyService.Bench;

/// <summary>Medians over runs, the targets with their measured figures, a markdown table and an SVG chart.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public sealed record SizeSummary(
        int Measures, int Runs, double StartToServing, double PeakRssMiB,
        double HealthH2LoadRps, double HealthH2LoadP50, double HealthH2LoadP99, double HealthRps, double HealthP50, double HealthP99,
        double DutyRps, double DutyP50, double DutyP99, double DutyCpu, double ExportRps, double ExportP50, double ExportP99, double ExportCpu,
        double HealthCpu, double HealthH2LoadCpu, double DutyOverHealth, double ExportOverHealth, double DutyOverH2Load, double ExportOverH2Load,
        double DutyCpuRatio, double MaxRoundTripsPerLookup, double MaxRoundTripsPerExport, string AnswersChecked, long Failures,
        double BasicRps, double BasicP50, double BasicP99, double BasicCpu, double BasicOverHealth, double FullBytes, double BasicBytes,
        double TimelineRps, double TimelineP50, double TimelineP99, double TimelineCpu, double TimelineCostOverLookup,
        int FreshnessRuns, int FreshnessWrites, double FreshnessP50, double FreshnessP99, double FreshnessMax, double FreshnessWorstP99,
        int FreshnessNotSeen, int TokenReads, int StaleAnswers, long FreshnessFailures);

    public static List<SizeSummary> Summarise(IReadOnlyList<RunResult> runs) => runs.GroupBy(r => r.Measures).OrderBy(g => g.Key).Select(g =>
    {
        var r = g.ToList();
        var f = r.Select(x => x.Freshness).OfType<FreshnessResult>().ToList();
        double M(Func<RunResult, double> f) => Median(r.Select(f));
        return new SizeSummary(g.Key, r.Count, M(x => x.StartToServingSeconds), M(x => x.PeakRssBytes / 1048576.0),
            M(x => x.HealthH2Load.RequestsPerSecond), M(x => x.HealthH2Load.P50Millis), M(x => x.HealthH2Load.P99Millis),
            M(x => x.HealthDriver.RequestsPerSecond), M(x => x.HealthDriver.P50Millis), M(x => x.HealthDriver.P99Millis),
            M(x => x.Duty.RequestsPerSecond), M(x => x.Duty.P50Millis), M(x => x.Duty.P99Millis), M(x => x.Duty.ServerCpuMicrosPerRequest),
            M(x => x.Export.RequestsPerSecond), M(x => x.Export.P50Millis), M(x => x.Export.P99Millis), M(x => x.Export.ServerCpuMicrosPerRequest),
            M(x => x.HealthDriver.ServerCpuMicrosPerRequest), M(x => x.HealthH2Load.ServerCpuMicrosPerRequest),
            M(x => x.DutyOverHealth), M(x => x.ExportOverHealth), M(x => x.DutyOverH2LoadHealth), M(x => x.ExportOverH2LoadHealth),
            M(x => x.HealthDriver.ServerCpuMicrosPerRequest / x.Duty.ServerCpuMicrosPerRequest),
            r.Max(x => x.RoundTripsPerLookup), r.Max(x => x.RoundTripsPerExportCheck),
            $"{r.Sum(x => x.DutyCheck.Correct)}/{r.Sum(x => x.DutyCheck.Checked)} + {r.Sum(x => x.ExportCheck.Correct)}/{r.Sum(x => x.ExportCheck.Checked)}",
            r.Sum(x => x.HealthH2Load.Failures + x.HealthDriver.Failures + x.Duty.Failures + x.Export.Failures + x.DutyBasic.Failures + x.Timeline.Failures),
            M(x => x.DutyBasic.RequestsPerSecond), M(x => x.DutyBasic.P50Millis), M(x => x.DutyBasic.P99Millis), M(x => x.DutyBasic.ServerCpuMicrosPerRequest),
            M(x => x.DutyBasicOverHealth), M(x => x.FullAnswerBytes), M(x => x.BasicAnswerBytes),
            M(x => x.Timeline.RequestsPerSecond), M(x => x.Timeline.P50Millis), M(x => x.Timeline.P99Millis), M(x => x.Timeline.ServerCpuMicrosPerRequest),
            M(x => x.TimelineCostOverLookup),
            f.Count, f.Sum(x => x.Writes), Median(f.Select(x => x.MedianMillis)), Median(f.Select(x => x.P99Millis)), f.Count == 0 ? double.NaN : f.Max(x => x.MaxMillis),
            f.Count == 0 ? double.NaN : f.Max(x => x.P99Millis), f.Sum(x => x.TimedOut), f.Sum(x => x.TokenReads), f.Sum(x => x.StaleAnswers), f.Sum(x => x.Failures));
    }).ToList();

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public sealed record Target(string Name, string Figure, bool? Met);

    public static List<Target> Targets(IReadOnlyList<SizeSummary> sizes)
    {
        var targets = new List<Target>();
        var small = sizes.FirstOrDefault(s => s.Measures == 1_000) ?? (sizes.Count > 0 ? sizes[0] : null);
        var large = sizes.FirstOrDefault(s => s.Measures == 1_000_000);
        if (small is not null)
        {
            targets.Add(new("LookupDuty ≥ 0.7 × Health/Check throughput, 1k measures (same client, same run)",
                F($"{small.DutyOverHealth:F2}× (against h2load's Health/Check: {small.DutyOverH2Load:F2}×)"), small.DutyOverHealth >= 0.7));
            targets.Add(new("CheckExport ≥ 0.7 × Health/Check throughput, 1k measures",
                F($"{small.ExportOverHealth:F2}× (against h2load's: {small.ExportOverH2Load:F2}×)"), small.ExportOverHealth >= 0.7));
            targets.Add(new("LookupDuty BASIC ≥ 0.8 × Health/Check throughput, 1k measures",
                F($"{small.BasicOverHealth:F2}× ({small.BasicRps:N0} req/s; FULL {small.DutyRps:N0})"), small.BasicOverHealth >= 0.8));
            targets.Add(new("Answer size on the wire, FULL / BASIC (mean over the sampled lookups, stated)",
                F($"{small.FullBytes:N0} / {small.BasicBytes:N0} bytes"), null));
            targets.Add(new("Start to SERVING ≤ 3 s, 1k measures", F($"{small.StartToServing:F2} s"), small.StartToServing <= 3));
            targets.Add(new("GetDutyTimeline over two years ≤ 5 × the cost of one LookupDuty (server CPU per call, same run), 1k measures",
                F($"{small.TimelineCostOverLookup:F2}× ({small.TimelineCpu:F0} / {small.DutyCpu:F0} µs; {small.TimelineRps:N0} / {small.DutyRps:N0} req/s)"),
                small.TimelineCostOverLookup <= 5));
        }
        if (large is not null && small is not null)
        {
            var ratio = large.DutyRps / small.DutyRps;
            targets.Add(new("LookupDuty at 1M measures ≥ 0.9 × its throughput at 1k", F($"{ratio:F2}× ({large.DutyRps:N0} / {small.DutyRps:N0} req/s)"), ratio >= 0.9));
            targets.Add(new("Server peak RSS ≤ 400 MB, 1M measures", F($"{large.PeakRssMiB * 1.048576:F0} MB ({large.PeakRssMiB:F0} MiB)"), large.PeakRssMiB * 1.048576 <= 400));
            var perMeasure = (large.PeakRssMiB - small.PeakRssMiB) * 1048576 / (large.Measures - small.Measures);
            targets.Add(new("Memory per tariff measure held (peak RSS difference 1M − 1k over the measures added, controls included; stated)",
                F($"{perMeasure:N0} bytes"), null));
            targets.Add(new("Start to SERVING ≤ 5 s, 1M measures", F($"{large.StartToServing:F2} s"), large.StartToServing <= 5));
        }
        foreach (var s in sizes)
        {
            var worst = Math.Max(s.DutyP99 / s.DutyP50, s.ExportP99 / s.ExportP50);
            targets.Add(new(F($"p99 ≤ 5 × p50 under load, {Size(s.Measures)} measures"),
                F($"LookupDuty {s.DutyP99 / s.DutyP50:F1}×, CheckExport {s.ExportP99 / s.ExportP50:F1}×"), worst <= 5));
        }
        foreach (var s in sizes.Where(s => s.FreshnessRuns > 0))
        {
            var perRun = s.FreshnessWrites / s.FreshnessRuns;
            targets.Add(new(F($"Freshness across processes: p99 ≤ 1 s over {perRun} writes, {Size(s.Measures)} measures"),
                F($"p99 {s.FreshnessP99:F0} ms (median {s.FreshnessP50:F0} ms; worst run's p99 {s.FreshnessWorstP99:F0} ms, max of all runs {s.FreshnessMax:F0} ms)")
                + (s.FreshnessNotSeen > 0 ? F($"; {s.FreshnessNotSeen} writes not seen within 10 s") : ""),
                s.FreshnessP99 <= 1000 && s.FreshnessNotSeen == 0));
            targets.Add(new(F($"0 stale answers with min_change_token, {Size(s.Measures)} measures"),
                F($"{s.StaleAnswers} stale of {s.TokenReads} reads ({s.FreshnessRuns} × {perRun} writes)") + (s.FreshnessFailures > 0 ? F($"; {s.FreshnessFailures} failed calls") : ""),
                s.StaleAnswers == 0 && s.TokenReads == s.FreshnessWrites && s.FreshnessFailures == 0));
        }
        var trips = sizes.Count == 0 ? 0 : sizes.Max(s => s.MaxRoundTripsPerLookup);
        var exportTrips = sizes.Count == 0 ? 0 : sizes.Max(s => s.MaxRoundTripsPerExport);
        targets.Add(new("0 database round trips per lookup of current knowledge (store counter)",
            F($"{trips:F3} per LookupDuty, {exportTrips:F3} per CheckExport (highest of all runs)"), trips == 0 && exportTrips == 0));
        return targets;
    }

    public static string Markdown(IReadOnlyList<RunResult> runs, HarnessOptions options, string machine)
    {
        var sizes = Summarise(runs);
        var b = new StringBuilder();
        b.AppendLine("# PolicyService benchmark results").AppendLine();
        b.AppendLine(F($"Medians of {options.Runs} runs per size; each run starts a fresh server process. {machine}"));
        b.AppendLine(options.Dense
            ? "Data set: **dense** — every synthetic measure on the same 12 importers (a stress case; see bench/README.md)."
            : "Data set: **wide** — synthetic measures spread over more importing countries as the data grows (see bench/README.md).");
        b.AppendLine(F($"Concurrency {options.Connections * options.Streams} calls in flight ({options.Connections} HTTP/2 connections × {options.Streams} streams), {options.WarmUp.TotalSeconds:F0} s warm-up and {options.Duration.TotalSeconds:F0} s timed per phase; {options.MixSize:N0} distinct requests per mix."));
        b.AppendLine(options.ServerCpu is { } s && options.ClientCpu is { } c
            ? F($"Server pinned to CPU {s}, load generators to CPU {c} (taskset), so the client's work never takes the server's CPU.")
            : "Server and load generators share both CPUs.");
        b.AppendLine().AppendLine("## Targets").AppendLine();
        b.AppendLine("| target | measured | met |").AppendLine("|---|---|---|");
        foreach (var t in Targets(sizes)) b.AppendLine(F($"| {t.Name} | {t.Figure} | {(t.Met is null ? "—" : t.Met.Value ? "yes" : "**no**")} |"));

        b.AppendLine().AppendLine("## Throughput and latency by data size").AppendLine();
        b.AppendLine("| tariff measures | call | client | req/s | p50 ms | p99 ms | p99/p50 | server CPU µs/req | ratio to (a), same client |");
        b.AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var x in sizes)
        {
            b.AppendLine(F($"| {x.Measures:N0} | (a) Health/Check | h2load | {x.HealthH2LoadRps:N0} | {x.HealthH2LoadP50:F2} | {x.HealthH2LoadP99:F2} | {x.HealthH2LoadP99 / x.HealthH2LoadP50:F1} | {x.HealthH2LoadCpu:F0} | |"));
            b.AppendLine(F($"| {x.Measures:N0} | (a) Health/Check | driver | {x.HealthRps:N0} | {x.HealthP50:F2} | {x.HealthP99:F2} | {x.HealthP99 / x.HealthP50:F1} | {x.HealthCpu:F0} | 1.00 |"));
            b.AppendLine(F($"| {x.Measures:N0} | (b) LookupDuty | driver | {x.DutyRps:N0} | {x.DutyP50:F2} | {x.DutyP99:F2} | {x.DutyP99 / x.DutyP50:F1} | {x.DutyCpu:F0} | {x.DutyOverHealth:F2} |"));
            b.AppendLine(F($"| {x.Measures:N0} | (d) LookupDuty BASIC | driver | {x.BasicRps:N0} | {x.BasicP50:F2} | {x.BasicP99:F2} | {x.BasicP99 / x.BasicP50:F1} | {x.BasicCpu:F0} | {x.BasicOverHealth:F2} |"));
            b.AppendLine(F($"| {x.Measures:N0} | (c) CheckExport | driver | {x.ExportRps:N0} | {x.ExportP50:F2} | {x.ExportP99:F2} | {x.ExportP99 / x.ExportP50:F1} | {x.ExportCpu:F0} | {x.ExportOverHealth:F2} |"));
            b.AppendLine(F($"| {x.Measures:N0} | (e) GetDutyTimeline, 2 years | driver | {x.TimelineRps:N0} | {x.TimelineP50:F2} | {x.TimelineP99:F2} | {x.TimelineP99 / x.TimelineP50:F1} | {x.TimelineCpu:F0} | {x.TimelineRps / x.HealthRps:F2} |"));
        }
        b.AppendLine().AppendLine("## Per size").AppendLine();
        b.AppendLine("| tariff measures | export controls | start to SERVING s | peak RSS MiB | round trips per LookupDuty / CheckExport | answers checked (duty + export) | failed calls |");
        b.AppendLine("|---:|---:|---:|---:|---|---|---:|");
        foreach (var x in sizes)
        {
            b.AppendLine(F($"| {x.Measures:N0} | {Harness.Controls(x.Measures):N0} | {x.StartToServing:F2} | {x.PeakRssMiB:F0} | {x.MaxRoundTripsPerLookup:F3} / {x.MaxRoundTripsPerExport:F3} | {x.AnswersChecked} | {x.Failures} |"));
        }
        b.AppendLine().AppendLine("## Every run").AppendLine();
        b.AppendLine("| measures | run | load average at start | (a) h2load req/s | (a) driver req/s | (b) req/s | (c) req/s | (b)/(a) | (c)/(a) | (b) p50/p99 ms | start s | peak RSS MiB |");
        b.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in runs.OrderBy(r => r.Measures).ThenBy(r => r.Run))
        {
            b.AppendLine(F($"| {r.Measures:N0} | {r.Run} | {r.LoadAverage} | {r.HealthH2Load.RequestsPerSecond:N0} | {r.HealthDriver.RequestsPerSecond:N0} | {r.Duty.RequestsPerSecond:N0} | {r.Export.RequestsPerSecond:N0} | {r.DutyOverHealth:F2} | {r.ExportOverHealth:F2} | {r.Duty.P50Millis:F2} / {r.Duty.P99Millis:F2} | {r.StartToServingSeconds:F2} | {r.PeakRssBytes / 1048576.0:F0} |"));
        }
        var fresh = runs.Where(r => r.Freshness is not null).OrderBy(r => r.Measures).ThenBy(r => r.Run).ToList();
        if (fresh.Count > 0)
        {
            b.AppendLine().AppendLine("## (f) Freshness across processes").AppendLine();
            b.AppendLine("Two further server processes on a copy of the database, on the server's default Snapshot settings: writes one after another through the first (UpdateTariffMeasure, "
                + "each after a random pause of up to 250 ms so that they fall at any point of the second process's refresh interval), "
                + "the second polled without a token (GetTariffMeasure, every 5 ms) until it answers the new version; delay from the write's response "
                + "to that answer. Beside the polls, one read with the write's change_token as min_change_token: stale if it does not answer the new version.").AppendLine();
            b.AppendLine("| measures | run | writes | delay median ms | p99 ms | max ms | not seen in 10 s | stale with token | token read median / max ms | failed calls |");
            b.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
            foreach (var r in fresh)
            {
                var x = r.Freshness!;
                b.AppendLine(F($"| {r.Measures:N0} | {r.Run} | {x.Writes} | {x.MedianMillis:F0} | {x.P99Millis:F0} | {x.MaxMillis:F0} | {x.TimedOut} | {x.StaleAnswers} / {x.TokenReads} | {x.TokenReadMedianMillis:F0} / {x.TokenReadMaxMillis:F0} | {x.Failures} |"));
            }
        }
        b.AppendLine().AppendLine("![throughput and p99 latency against data size](chart.svg)");
        return b.ToString();
    }

    public static void Write(IReadOnlyList<RunResult> runs, HarnessOptions options, string machine)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        File.WriteAllText(Path.Combine(options.OutputDirectory, "results.md"), Markdown(runs, options, machine));
        File.WriteAllText(Path.Combine(options.OutputDirectory, "chart.svg"), Chart(Summarise(runs)));
        File.WriteAllText(Path.Combine(options.OutputDirectory, "runs.json"), JsonSerializer.Serialize(new { options.Runs, options.Connections, options.Streams, machine, runs }, Indented));
    }

    /// <summary>Two panels: throughput of (a), (b), (c) and p99 of (b), (c), each against data size (log scale).</summary>
    public static string Chart(IReadOnlyList<SizeSummary> sizes)
    {
        const int width = 900, height = 380, panel = 380, top = 50, plotHeight = 250;
        var svg = new StringBuilder();
        svg.AppendLine(F($"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"""));
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine("""<text x="450" y="22" text-anchor="middle" font-size="15">PolicyService: throughput and p99 latency against data size (medians)</text>""");
        var series = new (string Name, string Colour, Func<SizeSummary, double> Rps, Func<SizeSummary, double>? P99)[]
        {
            ("(a) Health/Check (h2load)", "#888888", s => s.HealthH2LoadRps, null),
            ("(a) Health/Check (driver)", "#444444", s => s.HealthRps, s => s.HealthP99),
            ("(b) LookupDuty", "#1f77b4", s => s.DutyRps, s => s.DutyP99),
            ("(c) CheckExport", "#d62728", s => s.ExportRps, s => s.ExportP99),
            ("(d) LookupDuty BASIC", "#2ca02c", s => s.BasicRps, s => s.BasicP99),
        };
        Panel(svg, 70, "requests per second", sizes, series.Select(s => (s.Name, s.Colour, s.Rps)).ToArray());
        Panel(svg, 70 + panel + 70, "p99 latency (ms)", sizes, series.Where(s => s.P99 is not null).Select(s => (s.Name, s.Colour, s.P99!)).ToArray());
        var legendX = 70;
        foreach (var (name, colour, _, _) in series)
        {
            svg.AppendLine(F($"""<rect x="{legendX}" y="{height - 22}" width="12" height="12" fill="{colour}"/><text x="{legendX + 16}" y="{height - 12}">{name}</text>"""));
            legendX += 170;
        }
        svg.AppendLine("</svg>");
        return svg.ToString();

        void Panel(StringBuilder s, int left, string title, IReadOnlyList<SizeSummary> data, (string Name, string Colour, Func<SizeSummary, double> Value)[] lines)
        {
            if (data.Count == 0) return;
            var max = Math.Max(1e-9, lines.Max(l => data.Max(l.Value))) * 1.1;
            var minLog = Math.Log10(data.Min(d => d.Measures));
            var maxLog = Math.Log10(data.Max(d => d.Measures));
            double X(int measures) => left + (maxLog == minLog ? panel / 2.0 : (Math.Log10(measures) - minLog) / (maxLog - minLog) * (panel - 40) + 20);
            double Y(double v) => top + plotHeight - v / max * plotHeight;
            s.AppendLine(F($"""<text x="{left + panel / 2}" y="{top - 10}" text-anchor="middle">{title}</text>"""));
            s.AppendLine(F($"""<line x1="{left}" y1="{top + plotHeight}" x2="{left + panel}" y2="{top + plotHeight}" stroke="black"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + plotHeight}" stroke="black"/>"""));
            for (var i = 0; i <= 4; i++)
            {
                var v = max / 1.1 * i / 4;
                s.AppendLine(F($"""<line x1="{left}" y1="{Y(v):F1}" x2="{left + panel}" y2="{Y(v):F1}" stroke="#eeeeee"/><text x="{left - 6}" y="{Y(v) + 4:F1}" text-anchor="end">{Tick(v)}</text>"""));
            }
            foreach (var d in data)
                s.AppendLine(F($"""<text x="{X(d.Measures):F1}" y="{top + plotHeight + 18}" text-anchor="middle">{Size(d.Measures)}</text>"""));
            s.AppendLine(F($"""<text x="{left + panel / 2}" y="{top + plotHeight + 36}" text-anchor="middle">tariff measures loaded</text>"""));
            foreach (var (_, colour, value) in lines)
            {
                var points = string.Join(' ', data.Select(d => F($"{X(d.Measures):F1},{Y(value(d)):F1}")));
                s.AppendLine(F($"""<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>"""));
                foreach (var d in data)
                    s.AppendLine(F($"""<circle cx="{X(d.Measures):F1}" cy="{Y(value(d)):F1}" r="3.5" fill="{colour}"><title>{Tick(value(d))}</title></circle>"""));
            }
        }
    }

    private static string Tick(double v) => v >= 1000 ? F($"{v / 1000:0.#}k") : v >= 10 ? F($"{v:0}") : F($"{v:0.##}");

    public static string Size(int measures) => measures >= 1_000_000 ? F($"{measures / 1_000_000.0:0.#}M") : measures >= 1000 ? F($"{measures / 1000.0:0.#}k") : F($"{measures}");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
