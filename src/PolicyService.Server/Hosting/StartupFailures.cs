using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

/// <summary>
/// Start-up failures an operator can fix, each reported as one log line naming what to change and a non-zero exit code,
/// never as a stack trace: a lost SQLite file, and a listening port another process holds.
/// </summary>
public static partial class StartupFailures
{
    /// <summary>Exit code when the SQLite file is missing though a snapshot file shows it held data.</summary>
    public const int MissingDatabaseExitCode = 3;

    /// <summary>Exit code when a port this server is configured to listen on is taken.</summary>
    public const int PortTakenExitCode = 4;

    private const string Category = "PolicyService.Server.Startup";

    /// <summary>Runs a start-up step; a lost database file is logged in one line and becomes its exit code.</summary>
    public static async Task<int> ReportMissingDatabaseAsync(this WebApplication app, Func<Task<int>> step)
    {
        try
        {
            return await step();
        }
        catch (MissingDatabaseException e)
        {
            var logger = Logger(app);
            LogMissingDatabase(logger, e.Message);
            return MissingDatabaseExitCode;
        }
    }

    /// <summary>
    /// Checks, before anything is migrated or seeded, that no other process listens on a port this server is configured
    /// for; logs one line naming the setting when one does.
    /// </summary>
    /// <returns><see cref="PortTakenExitCode"/> when a port is taken, else 0.</returns>
    public static int CheckListenPorts(this WebApplication app)
    {
        foreach (var (setting, url) in ListenSettings(app.Configuration))
        {
            if (TakenPort(url) is not { } port) continue;
            var logger = Logger(app);
            LogPortTaken(logger, port, url, setting);
            return PortTakenExitCode;
        }
        return 0;
    }

    /// <summary>Serves until shutdown; a port taken after <see cref="CheckListenPorts"/> is still one line and an exit code.</summary>
    public static async Task<int> RunOrReportAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            var logger = Logger(app);
            LogBindFailed(logger, e.Message, $"Urls, {HttpApi.Section}:Url or Kestrel:Endpoints");
            return PortTakenExitCode;
        }
    }

    private static ILogger Logger(WebApplication app) => app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);

    /// <summary>Every URL the server is configured to listen on, with the setting that says so.</summary>
    private static IEnumerable<(string Setting, string Url)> ListenSettings(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().ToList();
        foreach (var endpoint in endpoints)
        {
            if (endpoint["Url"] is { Length: > 0 } url) yield return (endpoint.Key == "HttpApi" ? $"{HttpApi.Section}:Url" : $"Kestrel:Endpoints:{endpoint.Key}:Url", url);
        }
        if (endpoints.Count > 0) yield break;
        // The JSON port joins Urls at registration (HttpApi.AddPolicyHttpApi): it is named by its own setting.
        var api = configuration[$"{HttpApi.Section}:Url"] ?? HttpApi.DefaultUrl;
        foreach (var url in (configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (url != api) yield return ("Urls", url);
        if (api.Length > 0) yield return ($"{HttpApi.Section}:Url", api);
    }

    /// <summary>The port of the URL when another socket is listening on it here, else null (also for port 0 and names it cannot resolve).</summary>
    private static int? TakenPort(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null; // Kestrel reports a malformed URL itself
        }
        if (address.Port == 0 || address.IsUnixPipe) return null;
        var ip = address.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            "[::]" => IPAddress.IPv6Any,
            var host => IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null,
        };
        if (ip is null) return null;
        try
        {
            using var probe = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel binds: connections of an earlier run waiting out TIME_WAIT do not count, only a listener does.
            probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            probe.Bind(new IPEndPoint(ip, address.Port));
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return address.Port;
        }
        catch (SocketException)
        {
            return null; // not an address of this machine, or not allowed: Kestrel says so in its own words
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot start: {Detail}")]
    private static partial void LogMissingDatabase(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot start: port {Port} ({Url}) is already in use by another process. Stop it, or set {Setting} to a free address.")]
    private static partial void LogPortTaken(ILogger logger, int port, string url, string setting);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot start: {Detail} Stop the other process, or set {Setting} to a free address.")]
    private static partial void LogBindFailed(ILogger logger, string detail, string setting);
}
