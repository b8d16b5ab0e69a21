using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using Google.Api;

namespace PolicyService.EndToEnd.Tests.Fuzz;

/// <summary>
/// Malformed and mutated requests to every method the server maps, on the gRPC port and (for methods with a JSON route)
/// the JSON port, with no credentials and with an editor token: none may get UNKNOWN, INTERNAL or a 5xx, and none may be
/// logged as an error. POLICYSERVICE_FUZZ_REQUESTS sets the requests per method, port and credential (200; 3,000 by
/// hand), POLICYSERVICE_FUZZ_SEED the seed (28).
/// </summary>
public class FuzzTests(FuzzServerFixture fixture) : IClassFixture<FuzzServerFixture>
{
    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    [Fact]
    public async Task Fuzzed_requests_to_every_method_on_both_ports_get_no_unknown_internal_or_5xx()
    {
        var ct = TestContext.Current.CancellationToken;
        var perMethod = Setting("POLICYSERVICE_FUZZ_REQUESTS", 200);
        var seed = Setting("POLICYSERVICE_FUZZ_SEED", 28);
        using var grpc = RawCalls.Grpc();
        using var json = RawCalls.Json();
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var faults = new ConcurrentQueue<string>();
        var work = from method in fixture.Methods
                   from token in new[] { null, fixture.EditorToken }
                   from port in new[] { "grpc", "json" }
                   where port == "grpc" || method.Route is not null
                   select (method, token, port);
        var started = DateTime.UtcNow;

        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = ct }, async (item, token) =>
        {
            var (method, credential, port) = item;
            var fuzzer = new MessageFuzzer(new Random(seed ^ StableHash($"{method.Path} {port} {credential is null}")));
            for (var i = 0; i < perMethod; i++)
            {
                var (outcome, request) = port == "grpc" ? await GrpcOnceAsync(grpc, fuzzer, method, credential, token) : await JsonOnceAsync(json, fuzzer, method, credential, token);
                counts.AddOrUpdate($"{port} {outcome.Kind(port == "grpc")}", 1, (_, n) => n + 1);
                if (outcome.IsServerFault(port == "grpc") && faults.Count < 200)
                    faults.Enqueue($"{port} {method} ({(credential is null ? "anonymous" : "editor")}): {outcome.Kind(port == "grpc")} {outcome.GrpcMessage} {outcome.Error} — {request}");
            }
        });

        var peak = fixture.PeakRssMiB();
        var summary = $"{perMethod} per method, port and credential; {fixture.Methods.Count} methods, {fixture.Methods.Count(m => m.Route is not null)} with JSON routes; " +
            $"{(DateTime.UtcNow - started).TotalSeconds:F0} s; peak RSS {peak} MiB; " + string.Join(", ", counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
        TestContext.Current.AddAttachment("fuzz-summary", summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(faults.IsEmpty, $"{faults.Count} server faults ({summary}):\n{string.Join('\n', faults.Take(40))}");
        fixture.AssertNothingLoggedAsFailure();
        Assert.True(peak <= 300, $"peak RSS {peak} MiB ({summary})");
    }

    private async Task<(Outcome, string)> GrpcOnceAsync(HttpClient http, MessageFuzzer fuzzer, MappedMethod method, string? token, CancellationToken ct)
    {
        var message = fuzzer.Mutated(method.Descriptor.InputType);
        var (body, encoding, contentType) = fuzzer.Pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]) switch
        {
            0 => ([0, .. FrameLength(Gzip(message)), .. Gzip(message)], "gzip", "application/grpc"),      // compressed, the flag unset
            1 => ([1, .. FrameLength(message), .. message], "gzip", "application/grpc"),                  // "gzip" that is not
            2 => ([1, .. FrameLength(Gzip(message)), .. Gzip(message)], "br", "application/grpc"),        // an encoding nobody offered
            3 => (fuzzer.Framed(message), null, fuzzer.Pick(["application/grpc+json", "application/grpc; charset=utf-8", "application/grpcx", "text/plain"])),
            4 => ([.. fuzzer.Framed(message), .. fuzzer.Framed(message)], null, "application/grpc"),       // two messages
            5 => ([1, .. FrameLength(Gzip(message)), .. Gzip(message)], "gzip", "application/grpc"),      // compressed, properly
            _ => (fuzzer.Framed(message), (string?)null, "application/grpc"),
        };
        var streaming = method.Descriptor.IsServerStreaming;
        var outcome = await RawCalls.GrpcAsync(http, fixture.Server.Address, method.Path, body, token, streaming, ct, contentType, encoding);
        return (outcome, $"{contentType} {encoding} {Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 48)))}");
    }

    private async Task<(Outcome, string)> JsonOnceAsync(HttpClient http, MessageFuzzer fuzzer, MappedMethod method, string? token, CancellationToken ct)
    {
        var rules = new[] { method.Route! }.Concat(method.Route!.AdditionalBindings).ToList();
        var rule = fuzzer.Pick(rules);
        var (verb, template) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
            HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
            HttpRule.PatternOneofCase.Put => (HttpMethod.Put, rule.Put),
            HttpRule.PatternOneofCase.Delete => (HttpMethod.Delete, rule.Delete),
            HttpRule.PatternOneofCase.Patch => (HttpMethod.Patch, rule.Patch),
            _ => (new HttpMethod(rule.Custom.Kind), rule.Custom.Path),
        };
        var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]*\}", _ => fuzzer.Segment());
        var input = method.Descriptor.InputType;
        byte[]? body = null;
        if (rule.Body.Length > 0)
            body = fuzzer.Pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) == 0 ? new byte[70_000 + fuzzer.Pick([0, 1_000_000])] : fuzzer.Json(input);
        var query = fuzzer.Query(input);
        var contentType = fuzzer.Pick(["application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", "application/xml"]);
        var (outcome, answer) = await RawCalls.JsonAsync(http, verb, new Uri(fixture.JsonAddress, path + query), body, token, ct, contentType);
        var shown = body is null ? "" : System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 120)));
        return (outcome, $"{verb} {path}{query} [{contentType}] {shown} → {answer[..Math.Min(answer.Length, 200)]}");
    }

    private static byte[] Gzip(byte[] message)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(message);
        return output.ToArray();
    }

    private static byte[] FrameLength(byte[] message)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)message.Length);
        return length;
    }

    /// <summary>FNV-1a: a seed per method that is the same in every run (string.GetHashCode is not).</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}
