using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http.Features;
using PolicyService.Server.Domain;
using PolicyService.Server.Hosting;
using TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// Reads the one request message of each tradepolicy.v1 call before gRPC does: refuses it once it exceeds its RPC
/// family's limit, counted after decompression (grpc-dotnet counts compressed bytes and inflates without bound), and
/// refuses bytes that are not a message of the method's request type (grpc-dotnet would answer UNKNOWN). It passes
/// the message on uncompressed, so gRPC never inflates it again. Both refusals are statuses with ErrorInfo.
/// </summary>
public sealed partial class RequestGate(RequestDelegate next, LimitsOptions limits, ILogger<RequestGate> logger)
{
    private const int HeaderSize = 5;

    private static readonly Dictionary<string, MethodDescriptor> Methods = new[]
        { TariffReflection.Descriptor, ExportControlReflection.Descriptor, TruceReflection.Descriptor, AdminReflection.Descriptor }
        .SelectMany(f => f.Services).SelectMany(s => s.Methods)
        .ToDictionary(m => $"/{m.Service.FullName}/{m.Name}", StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Methods.TryGetValue(context.Request.Path.Value ?? "", out var method)
            || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            await next(context);
            return;
        }

        var (limitName, limit, advice) = LimitOf(method);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body) body.MaxRequestBodySize = limit + HeaderSize;
        try
        {
            // An uncompressed message is left unread in the body's pipe for gRPC; only an inflated one replaces the body.
            if (await ReadMessageAsync(context, method, limitName, limit, advice) is { } inflated) context.Request.Body = new MemoryStream(inflated, writable: false);
        }
        catch (Exception e) when (e is MessageTooLargeException or MalformedRequestException)
        {
            LogRefused(logger, method.FullName, e.Message);
            await WriteStatusAsync(context, ErrorMappingInterceptor.CallerStatus(e)!);
            return;
        }
        await next(context);
    }

    private (string Name, int Bytes, string Advice) LimitOf(MethodDescriptor method) => method switch
    {
        { Service.Name: "PolicyAdminService", Name: "ImportChanges" } => ("Limits:ImportMessageBytes", limits.ImportMessageBytes,
            "Split the import into several ImportChanges calls, each under the limit and with its own request_id."),
        { Service.Name: "PolicyAdminService" } => ("Limits:AdminMessageBytes", limits.AdminMessageBytes, ""),
        _ => ("Limits:ReadMessageBytes", limits.ReadMessageBytes, ""),
    };

    /// <summary>
    /// Checks the request's one message against the limit and the request type. Returns the message inflated and framed
    /// again when it came compressed; null when it came uncompressed, left in the pipe as it arrived.
    /// </summary>
    private static async Task<byte[]?> ReadMessageAsync(HttpContext context, MethodDescriptor method, string limitName, int limit, string advice)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            if (buffer.Length >= HeaderSize)
            {
                var (compressed, length) = Header(buffer);
                if (length > limit) throw new MessageTooLargeException(limitName, limit, advice); // before the bytes arrive
                if (buffer.Length > HeaderSize + length) throw new MalformedRequestException("A unary request carries exactly one message.");
                if (read.IsCompleted && buffer.Length == HeaderSize + length)
                {
                    if (compressed == 0)
                    {
                        Check(method, buffer.Slice(HeaderSize));
                        reader.AdvanceTo(buffer.Start, buffer.End); // examined, not consumed: gRPC reads the same bytes
                        return null;
                    }
                    if (compressed != 1) throw new MalformedRequestException("The message's compressed flag is neither 0 nor 1.");
                    var payload = buffer.Slice(HeaderSize).ToArray();
                    reader.AdvanceTo(buffer.End);
                    var message = Inflate(payload, context.Request.Headers["grpc-encoding"].ToString(), limitName, limit, advice);
                    Check(method, new ReadOnlySequence<byte>(message));
                    return Framed(message);
                }
            }
            if (read.IsCompleted) throw new MalformedRequestException("The request ended before its message was complete.");
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (byte Compressed, uint Length) Header(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        return (header[0], BinaryPrimitives.ReadUInt32BigEndian(header[1..]));
    }

    private static byte[] Inflate(byte[] payload, string encoding, string limitName, int limit, string advice)
    {
        using var input = new MemoryStream(payload);
        using Stream inflating = encoding switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            _ => throw new MalformedRequestException($"The message is compressed with '{Echo.Cut(encoding)}'; this service accepts gzip and deflate."),
        };
        var output = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = inflating.Read(chunk)) > 0)
            {
                if (output.Length + n > limit) throw new MessageTooLargeException(limitName, limit, advice); // stop inflating at the limit
                output.Write(chunk, 0, n);
            }
        }
        catch (InvalidDataException)
        {
            throw new MalformedRequestException($"The message is not valid {encoding} data.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return output.ToArray();
    }

    private static void Check(MethodDescriptor method, ReadOnlySequence<byte> message)
    {
        try
        {
            method.InputType.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new MalformedRequestException($"The request is not a valid {method.InputType.FullName} message.");
        }
    }

    private static byte[] Framed(byte[] message)
    {
        var framed = new byte[HeaderSize + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed.AsSpan(HeaderSize));
        return framed;
    }

    /// <summary>A trailers-only gRPC response: the status in the headers, as gRPC servers answer before any message.</summary>
    public static Task WriteStatusAsync(HttpContext context, Google.Rpc.Status status)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        return response.CompleteAsync();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a {Method} request before it ran: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string reason);
}
