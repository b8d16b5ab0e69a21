using System.Diagnostics;
using System.Security.Claims;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PolicyService.Bench.Data;
using TradePolicy.V1;

namespace PolicyService.Bench.Load;

/// <summary>
/// Phase (f): freshness across processes. Delays are from the write's response to the first answer of the other
/// process that shows the new version, in milliseconds; a stale answer is a read with the write's change_token as
/// min_change_token that did not show it.
/// </summary>
public sealed record FreshnessResult(int Writes, double[] DelaysMillis, int TimedOut, int TokenReads, int StaleAnswers,
    double[] TokenReadMillis, long Polls, long Failures, string? FirstFailure)
{
    public double MedianMillis => Percentile(DelaysMillis, 0.50);
    public double P99Millis => Percentile(DelaysMillis, 0.99);
    public double MaxMillis => DelaysMillis.Length == 0 ? double.NaN : DelaysMillis.Max();
    public double TokenReadMedianMillis => Percentile(TokenReadMillis, 0.50);
    public double TokenReadMaxMillis => TokenReadMillis.Length == 0 ? double.NaN : TokenReadMillis.Max();

    /// <summary>Every write was seen by the other process and every read with its token answered it.</summary>
    public bool Passed => Writes > 0 && TimedOut == 0 && StaleAnswers == 0 && Failures == 0 && TokenReads == Writes;

    private static double Percentile(double[] values, double q)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// Two real server processes on one SQLite database (a copy of the benchmark's, so the cached database and the answer
/// checks of later runs are untouched), both trusting a key minted here. Writes go one after another through the first
/// (PolicyAdminService/UpdateTariffMeasure, the etag from GetTariffMeasure, a new title); after each, the second is
/// polled anonymously with GetTariffMeasure until it answers the new version (its etag), and, at the same time, read
/// once with the write's change_token as min_change_token, which must answer the new version the first time. A random
/// pause of up to 250 ms before each write keeps the writes out of step with the second process's refresher.
/// </summary>
public static class Freshness
{
    public const int DefaultWrites = 100;
    private const string Issuer = "https://issuer.policyservice.bench";
    private const string Audience = "policyservice";
    private const string EditorRole = "policy.editor";   // AuthOptions.EditorRole's default
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A pause of up to this long, at random, before each write. Without it each write would follow the other process's
    /// refresh that showed the previous one by the same few milliseconds, and every delay would be close to a whole refresh
    /// interval; writers do not keep time with a replica's refresher. 250 ms is the bound on the refresh interval.
    /// </summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(250);

    public static async Task<FreshnessResult> RunAsync(string serverDll, string sqlitePath, int measures, int writes, int? cpu, TextWriter log, CancellationToken ct)
    {
        var copy = Directory.CreateTempSubdirectory("policyservice-bench-freshness-").FullName;
        try
        {
            var database = CopyDatabase(sqlitePath, copy);
            using var key = RSA.Create(2048);
            KeyValuePair<string, string>[] auth =
            [
                new("Auth:Jwt:Issuer", Issuer),
                new("Auth:Jwt:Audience", Audience),
                new("Auth:Jwt:SigningKeys:0", key.ExportSubjectPublicKeyInfoPem()),
            ];
            KeyValuePair<string, string>[] settings = [new("Storage:SqlitePath", database)];
            await using var writer = await ServerUnderTest.StartAsync(serverDll, settings, cpu, ct, auth);
            await using var reader = await ServerUnderTest.StartAsync(serverDll, settings, cpu, ct, auth);
            log.WriteLine(System.FormattableString.Invariant($"  (f) two servers on a copy of the database, SERVING after {writer.StartToServing.TotalSeconds:F2} s and {reader.StartToServing.TotalSeconds:F2} s"));
            var editor = new Metadata { { "authorization", "Bearer " + Token(key) } };
            var result = await MeasureAsync(writer, reader, editor, measures, writes, ct);
            await reader.StopAsync();
            await writer.StopAsync();
            return result;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static async Task<FreshnessResult> MeasureAsync(ServerUnderTest writer, ServerUnderTest reader, Metadata editor, int measures, int writes, CancellationToken ct)
    {
        var admin = new PolicyAdminService.PolicyAdminServiceClient(writer.Channel);
        var writerTariffs = new TariffService.TariffServiceClient(writer.Channel);
        var readerTariffs = new TariffService.TariffServiceClient(reader.Channel);
        var delays = new List<double>();
        var tokenReads = new List<double>();
        int timedOut = 0, stale = 0;
        long polls = 0, failures = 0;
        string? firstFailure = null;
        var random = new Random(10);

        for (var k = 0; k < writes; k++)
        {
            await Task.Delay(random.NextDouble() * MaxPause, ct);
            // Distinct synthetic measures spread over the data set: each write touches a record no other write touched.
            var id = SyntheticPolicy.MeasureId((int)((long)k * measures / writes));
            UpdateTariffMeasureResponse written;
            try
            {
                var current = (await writerTariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id }, deadline: Deadline(), cancellationToken: ct)).TariffMeasure;
                var edited = current.Clone();
                edited.Title = $"{current.Title} (freshness write {k + 1})";
                written = await admin.UpdateTariffMeasureAsync(
                    new UpdateTariffMeasureRequest { TariffMeasure = edited, Etag = current.Etag, Reason = "benchmark: freshness across processes" },
                    editor, Deadline(), ct);
            }
            catch (RpcException e)
            {
                failures++;
                firstFailure ??= $"write {id}: {e.StatusCode} {e.Status.Detail}";
                continue;
            }
            var answered = Stopwatch.StartNew();
            var etag = written.TariffMeasure.Etag;

            // The read with the token runs beside the polls, so that neither delays the other.
            var tokenRead = TokenReadAsync(readerTariffs, id, written.ChangeToken, etag, ct);
            double? delay = null;
            while (answered.Elapsed < GiveUpAfter)
            {
                polls++;
                try
                {
                    var seen = await readerTariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id }, deadline: Deadline(), cancellationToken: ct);
                    if (seen.TariffMeasure.Etag == etag)
                    {
                        delay = answered.Elapsed.TotalMilliseconds;
                        break;
                    }
                }
                catch (RpcException e)
                {
                    failures++;
                    firstFailure ??= $"poll {id}: {e.StatusCode} {e.Status.Detail}";
                }
                await Task.Delay(PollInterval, ct);
            }
            if (delay is { } d) delays.Add(d);
            else timedOut++;

            var (fresh, millis, failure) = await tokenRead;
            if (failure is not null)
            {
                failures++;
                firstFailure ??= failure;
            }
            else
            {
                tokenReads.Add(millis);
                if (!fresh) stale++;
            }
        }
        return new FreshnessResult(writes, [.. delays], timedOut, tokenReads.Count, stale, [.. tokenReads], polls, failures, firstFailure);
    }

    private static async Task<(bool Fresh, double Millis, string? Failure)> TokenReadAsync(TariffService.TariffServiceClient client, string id, string token, string etag, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var answer = await client.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id, MinChangeToken = token }, deadline: Deadline(), cancellationToken: ct);
            return (answer.TariffMeasure.Etag == etag, watch.Elapsed.TotalMilliseconds, null);
        }
        catch (RpcException e)
        {
            return (false, watch.Elapsed.TotalMilliseconds, $"read with min_change_token {id}: {e.StatusCode} {e.Status.Detail}");
        }
    }

    /// <summary>
    /// Copies the database file (and its write-ahead log, if one was left) and the latest snapshot file beside it, so both
    /// servers start as fast as the measured one did; the copy gets the same file name in its own folder.
    /// </summary>
    private static string CopyDatabase(string sqlitePath, string directory)
    {
        var target = Path.Combine(directory, Path.GetFileName(sqlitePath));
        File.Copy(sqlitePath, target);
        if (File.Exists(sqlitePath + "-wal")) File.Copy(sqlitePath + "-wal", target + "-wal");
        var prefix = Path.GetFileName(sqlitePath) + ".snapshot.";
        var latest = Directory.EnumerateFiles(Path.GetDirectoryName(sqlitePath)!, prefix + "*")
            .Select(p => (Path: p, Position: long.TryParse(Path.GetFileName(p)[prefix.Length..], out var n) ? n : -1))
            .Where(f => f.Position >= 0)
            .OrderByDescending(f => f.Position)
            .FirstOrDefault();
        if (latest.Path is not null) File.Copy(latest.Path, Path.Combine(directory, Path.GetFileName(latest.Path)));
        return target;
    }

    /// <summary>An editor's token, signed with the key both servers trust; valid long enough for the phase at any size.</summary>
    private static string Token(RSA key)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "bench-freshness"), new Claim("roles", EditorRole)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
        });
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);
}
