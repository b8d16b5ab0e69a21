using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace PolicyService.Testing;

/// <summary>
/// The real server, started as its own process on a free loopback port (Kestrel picks it), with its own SQLite file
/// unless the settings say otherwise. Disposing stops it and removes its files.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    /// <summary>A scratch directory owned by this server (its database lives here by default).</summary>
    public string Directory { get; }

    public Uri Address { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the server printed so far (for assertion messages).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="settings">Configuration as key/value pairs, e.g. ("Storage:Provider", "SqlServer").</param>
    /// <param name="waitForReady">Wait until readiness reports SERVING.</param>
    /// <param name="channelFactory">Builds the channel for the listening address (e.g. with TLS client certificates).</param>
    public static async Task<ServerProcess> StartAsync(IEnumerable<KeyValuePair<string, string>>? settings = null, bool waitForReady = true,
        IEnumerable<string>? extraArguments = null, Func<Uri, GrpcChannel>? channelFactory = null, CancellationToken ct = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"policyservice-e2e-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(ServerAssembly());
        foreach (var argument in extraArguments ?? []) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        // Off unless a test asks for it (HttpApi:Url in settings): many servers run at once and the default port is fixed.
        start.ArgumentList.Add("--HttpApi:Url=");
        start.ArgumentList.Add($"--Storage:SqlitePath={Path.Combine(directory, "policy.db")}");
        foreach (var (key, value) in settings ?? []) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var server = new ServerProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, directory);
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.Exited += (_, _) => server._listening.TrySetException(
            new InvalidOperationException($"The server exited before listening:\n{server.Output}"));
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        try
        {
            server.Address = await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            server.Channel = channelFactory?.Invoke(server.Address) ?? GrpcChannel.ForAddress(server.Address);
            if (waitForReady) await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(30), ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls grpc.health.v1 until the service reports the status, or fails after the timeout.</summary>
    public async Task WaitForHealthAsync(string service, HealthCheckResponse.Types.ServingStatus expected, TimeSpan timeout, CancellationToken ct = default)
    {
        var client = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow + timeout;
        HealthCheckResponse.Types.ServingStatus last = default;
        Exception? error = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = (await client.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct)).Status;
                if (last == expected) return;
            }
            catch (Grpc.Core.RpcException e)
            {
                error = e;
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"Health '{service}' stayed {last}, not {expected}, for {timeout} (last error: {error?.Message}).\n{Output}");
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash or an OOM kill would: no shutdown code runs.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends a POSIX signal (e.g. SIGTERM = 15) to the server process.</summary>
    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        var match = ListeningLine().Match(line);
        if (match.Success) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    private static string ServerAssembly() => BuildOutput("PolicyService.Server", "PolicyService.Server.dll");

    /// <summary>A project's build output beside this test build (same configuration), e.g. src/PolicyService.Cli's policyctl.dll.</summary>
    public static string BuildOutput(string project, string assembly)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "PolicyService.sln"))) continue;
            var path = Path.Combine(dir.FullName, "src", project, "bin", configuration, "net10.0", assembly);
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first.", path);
        }
        throw new DirectoryNotFoundException("PolicyService.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Now listening on: (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
