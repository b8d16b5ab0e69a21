using System.Net;
using System.Net.Http.Headers;

namespace PolicyService.EndToEnd.Tests.Fuzz;

/// <summary>What a raw request got back: the HTTP status and, for gRPC, the grpc-status, message and details from headers or trailers.</summary>
public sealed record Outcome(int Http, int? GrpcStatus, string? GrpcMessage, string? Details, string? Error = null, bool StillStreaming = false)
{
    /// <summary>Caller input must never get these: UNKNOWN, INTERNAL, a 5xx, a reset with no status, or no answer.</summary>
    public bool IsServerFault(bool grpc) =>
        !StillStreaming && (Error is not null || Http >= 500 || (grpc && GrpcStatus is null or 2 or 13));

    public string Kind(bool grpc) => StillStreaming ? "streaming" : Error is not null ? "error" : grpc ? $"grpc {GrpcStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}" : $"http {Http}";

    /// <summary>The google.rpc.Status of grpc-status-details-bin (unpadded base64).</summary>
    public Google.Rpc.Status? Status => Details is null ? null
        : Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(Details.PadRight(Details.Length + (4 - Details.Length % 4) % 4, '=')));

    public string? Reason => Status?.Details.Where(d => d.Is(Google.Rpc.ErrorInfo.Descriptor)).Select(d => d.Unpack<Google.Rpc.ErrorInfo>().Reason).SingleOrDefault();
}

/// <summary>Requests written byte for byte, as a broken or hostile client would send them, on either port.</summary>
public static class RawCalls
{
    public static HttpClient Grpc() => new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };

    public static HttpClient Json() => new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <param name="streaming">The call streams answers: one still open after <paramref name="patience"/> is counted as streaming.</param>
    public static async Task<Outcome> GrpcAsync(HttpClient http, Uri address, string path, byte[] body, string? token, bool streaming, CancellationToken ct,
        string contentType = "application/grpc", string? encoding = null, TimeSpan? patience = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Content = new ByteArrayContent(body), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (encoding is not null) request.Headers.Add("grpc-encoding", encoding);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(patience ?? TimeSpan.FromSeconds(streaming ? 0.3 : 30));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await response.Content.CopyToAsync(Stream.Null, timeout.Token);
            string? Field(string name) => response.Headers.TryGetValues(name, out var v) || response.TrailingHeaders.TryGetValues(name, out v) ? v.First() : null;
            return new((int)response.StatusCode, int.TryParse(Field("grpc-status"), out var status) ? status : null, Field("grpc-message"), Field("grpc-status-details-bin"));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && streaming)
        {
            return new(200, null, null, null, StillStreaming: true);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new(0, null, null, null, Error: $"{e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
        }
    }

    public static async Task<(Outcome Outcome, string Body)> JsonAsync(HttpClient http, HttpMethod method, Uri uri, byte[]? body, string? token, CancellationToken ct,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, uri) { Version = HttpVersion.Version11 };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            return (new((int)response.StatusCode, null, null, null), await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return (new(0, null, null, null, Error: $"{e.GetType().Name}: {e.Message} {e.InnerException?.Message}"), "");
        }
    }
}
