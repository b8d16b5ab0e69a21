using System.Net;
using System.Net.Sockets;
using PolicyService.Testing;

namespace PolicyService.EndToEnd.Tests.Fuzz;

/// <summary>
/// A server of its own with authentication configured (so an editor token reaches the admin methods and no token is
/// refused) and the JSON API on a port of its own, plus the methods it maps as its reflection describes them.
/// </summary>
public sealed class FuzzServerFixture : IAsyncLifetime
{
    private readonly TestCredentials _credentials = new();

    public ServerProcess Server { get; private set; } = null!;

    public Uri JsonAddress { get; private set; } = null!;

    public string EditorToken { get; private set; } = null!;

    public IReadOnlyList<MappedMethod> Methods { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        JsonAddress = new Uri($"http://127.0.0.1:{port}");
        Server = await ServerProcess.StartAsync([.. _credentials.ServerSettings(), new("HttpApi:Url", JsonAddress.ToString().TrimEnd('/'))]);
        EditorToken = _credentials.Token("fuzz-editor", [TestCredentials.Editor], TimeSpan.FromHours(2));
        Methods = await MappedMethods.ReadAsync(Server.Channel, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _credentials.Dispose();
    }

    /// <summary>The server's peak resident memory so far (VmHWM), in MiB.</summary>
    public long PeakRssMiB() =>
        long.Parse(File.ReadLines($"/proc/{Server.ProcessId}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;

    /// <summary>What the server logged at Error or Critical, each entry with its next lines (the exception): caller input must never produce one.</summary>
    public List<string> FailureLines()
    {
        var lines = Server.Output.Split('\n');
        return [.. lines.Select((line, i) => (line, i))
            .Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal)
                || l.line.Contains("Exception was thrown by handler", StringComparison.Ordinal))
            .Select(l => string.Join(" | ", lines.Skip(l.i).Take(14).Select(t => t.Trim())))];
    }

    public void AssertNothingLoggedAsFailure()
    {
        var failures = FailureLines();
        Assert.True(failures.Count == 0, $"{failures.Count} failures logged:\n{string.Join('\n', failures.Take(10))}");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
