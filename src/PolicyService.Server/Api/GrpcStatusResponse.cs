using System.Text;
using Google.Protobuf;

namespace PolicyService.Server.Api;

/// <summary>
/// A gRPC status written by middleware, before any service method runs: a trailers-only response (the status in the
/// headers), with grpc-message encoded as the gRPC HTTP/2 protocol says and the google.rpc.Status in grpc-status-details-bin.
/// </summary>
public static class GrpcStatusResponse
{
    public static Task WriteAsync(HttpContext context, Google.Rpc.Status status, int httpStatus = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = httpStatus;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = EncodeMessage(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        return response.CompleteAsync();
    }

    /// <summary>
    /// Percent-encodes the message's UTF-8 bytes outside printable ASCII (0x20–0x7E) and '%' itself, and nothing else:
    /// clients decode only what the protocol says is encoded, so "credentials: a token" stays readable.
    /// </summary>
    public static string EncodeMessage(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var encoded = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') encoded.Append((char)b);
            else encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return encoded.ToString();
    }
}
