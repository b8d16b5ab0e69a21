using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PolicyService.Bench.Load;

/// <summary>
/// Runs nghttp2's h2load against one gRPC method with one request body: h2load sends the same --data file with every
/// request, so it measures a fixed call (here Health/Check, the transport's ceiling). It does not read trailers, so it
/// cannot see grpc-status; the harness checks answers with a real gRPC client instead. Latency percentiles come from its
/// per-request log (--log-file: start time, HTTP status, elapsed microseconds).
/// </summary>
public static partial class H2Load
{
    public static bool IsInstalled() => File.Exists("/usr/bin/h2load") || (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':').Any(dir => File.Exists(Path.Combine(dir, "h2load")));

    /// <summary>An untimed warm-up run, then the timed run; <paramref name="onMeasuring"/> brackets the timed run.</summary>
    public static async Task<PhaseLoad> RunAsync(Uri server, string method, byte[] framedBody, int connections, int streams,
        TimeSpan warmUp, TimeSpan duration, int? cpu, string workDirectory, Action<bool> onMeasuring, CancellationToken ct)
    {
        var body = Path.Combine(workDirectory, "h2load-body.bin");
        var log = Path.Combine(workDirectory, "h2load-requests.log");
        await File.WriteAllBytesAsync(body, framedBody, ct);
        var url = new Uri(server, method).ToString();

        if (warmUp > TimeSpan.Zero) await RunProcessAsync(Arguments(url, body, connections, streams, warmUp, null), cpu, ct);
        File.Delete(log);
        onMeasuring(true);
        var output = await RunProcessAsync(Arguments(url, body, connections, streams, duration, log), cpu, ct);
        onMeasuring(false);

        var requests = Summary().Match(output) is { Success: true } m ? m : throw new InvalidOperationException("Unexpected h2load output:\n" + output);
        var succeeded = long.Parse(requests.Groups["succeeded"].Value, CultureInfo.InvariantCulture);
        var failed = long.Parse(requests.Groups["failed"].Value, CultureInfo.InvariantCulture) + long.Parse(requests.Groups["errored"].Value, CultureInfo.InvariantCulture)
            + long.Parse(requests.Groups["timeout"].Value, CultureInfo.InvariantCulture);
        var seconds = Finished().Match(output) is { Success: true } f ? double.Parse(f.Groups["seconds"].Value, CultureInfo.InvariantCulture) : duration.TotalSeconds;

        var latencies = new List<int>((int)succeeded);
        var non2xx = 0L;
        foreach (var line in File.ReadLines(log))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3) continue;
            if (parts[1] != "200") non2xx++;
            else latencies.Add(int.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        return new PhaseLoad(latencies.Count, failed + non2xx, seconds, latencies, failed + non2xx > 0 ? $"h2load: {failed} failed, {non2xx} not HTTP 200" : null);
    }

    private static List<string> Arguments(string url, string body, int connections, int streams, TimeSpan duration, string? log)
    {
        var args = new List<string>
        {
            "-D", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-m", streams.ToString(CultureInfo.InvariantCulture),
            "-t", "1",
            "-d", body,
            "-H", "content-type: application/grpc",
            "-H", "te: trailers",
        };
        if (log is not null) args.Add($"--log-file={log}");
        args.Add(url);
        return args;
    }

    private static async Task<string> RunProcessAsync(List<string> arguments, int? cpu, CancellationToken ct)
    {
        var start = new ProcessStartInfo(cpu is null ? "h2load" : "taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (cpu is { } c)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(c.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("h2load");
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = await stdout + await stderr;
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"h2load exited with {process.ExitCode}:\n{output}");
    }

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout")]
    private static partial Regex Summary();

    [GeneratedRegex(@"finished in (?<seconds>[0-9.]+)s")]
    private static partial Regex Finished();
}
