using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace PolicyService.Bench.Load;

/// <summary>
/// The real server (the Release build) as a child process on a loopback port, with the embedded SQLite database the
/// benchmark built. Reads its CPU time and peak resident memory from /proc.
/// </summary>
public sealed partial class ServerUnderTest : IAsyncDisposable
{
    private static readonly double TicksPerSecond = ClockTicks();
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerUnderTest(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public int ProcessId => _process.Id;

    /// <summary>From starting the process to the first readiness SERVING answer.</summary>
    public TimeSpan StartToServing { get; private set; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="cpu">Pin the server to this CPU (taskset), or null for no pinning.</param>
    /// <param name="database">The settings that point the server at its database (Storage:SqlitePath, or the SQL Server ones).</param>
    /// <param name="settings">Further configuration for this server only (e.g. the Auth:Jwt settings of the freshness phase).</param>
    public static async Task<ServerUnderTest> StartAsync(string serverDll, IReadOnlyList<KeyValuePair<string, string>> database, int? cpu, CancellationToken ct,
        IReadOnlyList<KeyValuePair<string, string>>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(cpu is null ? "dotnet" : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        if (cpu is { } c)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(c.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add("--HttpApi:Url="); // gRPC only: the JSON port is not measured and its fixed default may be taken
        foreach (var (key, value) in database.Concat(settings ?? [])) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var watch = Stopwatch.StartNew();
        var process = new Process { StartInfo = start };
        process.Start();
        var server = new ServerUnderTest(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilServingAsync(TimeSpan.FromSeconds(600), ct);
            server.StartToServing = watch.Elapsed;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>User plus system CPU time the server has used so far (/proc/PID/stat).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0; utime and stime are fields 14 and 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Peak resident set size since the process started (VmHWM).</summary>
    public long PeakRssBytes() => StatusField("VmHWM");

    public long RssBytes() => StatusField("VmRSS");

    /// <summary>Stops the server with SIGTERM (a graceful shutdown) and returns what it printed.</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        await Task.Delay(100); // the last lines of output
        return Output;
    }

    /// <summary>The store's round-trip counts the server logs when it stops (operation → count).</summary>
    public static IReadOnlyDictionary<string, long> RoundTrips(string output)
    {
        var match = RoundTripLine().Match(output);
        // No report is no measurement: reading it as zero round trips would pass the target without measuring it.
        if (!match.Success) throw new InvalidDataException("The server logged no 'Store round trips since start' line at shutdown: round trips not measured.");
        return match.Groups["counts"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout, CancellationToken ct)
    {
        var client = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var reply = await client.CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (RpcException)
            {
            }
            await Task.Delay(5, ct);
        }
        throw new TimeoutException($"The server did not report SERVING within {timeout}:\n{Output}");
    }

    private long StatusField(string name)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (!line.StartsWith(name + ":", StringComparison.Ordinal)) continue;
            var kb = line[(name.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double ClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }

    [GeneratedRegex(@"Store round trips since start: \d+ \((?<counts>[^)]*)\)")]
    private static partial Regex RoundTripLine();
}
