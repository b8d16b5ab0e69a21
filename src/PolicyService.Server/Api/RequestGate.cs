using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.Features;
using PolicyService.Server.Domain;
using PolicyService.Server.Hosting;

namespace PolicyService.Server.Api;

/// <summary>
/// Checks each request to a mapped RPC before its service method runs, on both ports. gRPC: the content type, HTTP/2,
/// and the one request message — refused once it exceeds its RPC family's limit, counted after decompression
/// (grpc-dotnet counts compressed bytes and inflates without bound), or when its bytes are not a message of the
/// method's request type (grpc-dotnet would answer UNKNOWN); the message goes on uncompressed, so gRPC never inflates
/// it again. JSON: the body's size, before anything parses it (<see cref="JsonBodyLimit"/>). Every refusal is a status
/// with ErrorInfo. Which RPCs are gated comes from the endpoints (<see cref="GatedMethods"/>), not from a list.
/// </summary>
public sealed partial class RequestGate(RequestDelegate next, LimitsOptions limits, ILogger<RequestGate> logger)
{
    private const int HeaderSize = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        if (GatedMethods.Of(context.GetEndpoint()) is not { } method)
        {
            await next(context);
            return;
        }
        var (limitName, limit, advice) = method.Limit(limits);
        if (!method.IsJson && TransportProblem(context.Request) is { } problem)
        {
            LogRefused(logger, method.FullName, problem.Message);
            await GrpcStatusResponse.WriteAsync(context, ErrorMappingInterceptor.CallerStatus(new MalformedRequestException(problem.Message))!, problem.HttpStatus);
            return;
        }
        try
        {
            if (method.IsJson) await JsonBodyLimit.HoldAsync(context, limitName, limit, advice);
            else if (context.Request.ContentLength > limit + HeaderSize) throw new MessageTooLargeException(limitName, limit, advice); // refused unread
            else if (method.HasSingleRequest)
            {
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body) body.MaxRequestBodySize = limit + HeaderSize;
                // An uncompressed message is left unread in the body's pipe for gRPC; only an inflated one replaces the body.
                if (await ReadMessageAsync(context, method, limitName, limit, advice) is { } inflated) context.Request.Body = new MemoryStream(inflated, writable: false);
            }
            // Streamed requests: gRPC holds each message to the limit; ErrorMappingInterceptor maps what reading them throws.
        }
        catch (Exception e) when (e is MessageTooLargeException or MalformedRequestException)
        {
            LogRefused(logger, method.FullName, e.Message);
            var status = ErrorMappingInterceptor.CallerStatus(e)!;
            if (method.IsJson) await JsonBodyLimit.WriteStatusAsync(context, status);
            else await GrpcStatusResponse.WriteAsync(context, status);
            return;
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            return; // the caller reset the request or went away mid-body: there is no one to answer
        }
        await next(context);
    }

    /// <summary>
    /// A gRPC request is HTTP/2 with content type application/grpc (or application/grpc+…; grpc-dotnet answers anything
    /// else with INTERNAL). Refusals keep the HTTP status the gRPC protocol asks for (415, 426).
    /// </summary>
    private static (int HttpStatus, string Message)? TransportProblem(HttpRequest request)
    {
        var type = request.ContentType;
        if (type is null || !type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) || (type.Length > 16 && type[16] is not ('+' or ';')))
            return (StatusCodes.Status415UnsupportedMediaType,
                $"A gRPC request has content-type application/grpc; this one has '{Echo.Cut(type ?? "")}'. The JSON API is on its own port (HttpApi:Url).");
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
            return (StatusCodes.Status426UpgradeRequired, $"gRPC needs HTTP/2; this request is {Echo.Cut(request.Protocol)}.");
        return null;
    }

    /// <summary>
    /// Checks the request's one message against the limit and the request type. Returns the message inflated and framed
    /// again when it came compressed; null when it came uncompressed, left in the pipe as it arrived.
    /// </summary>
    private static async Task<byte[]?> ReadMessageAsync(HttpContext context, GatedMethod method, string limitName, int limit, string advice)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(context.RequestAborted);
            }
            catch (BadHttpRequestException e)
            {
                // Kestrel's own checks of the body: more bytes than the limit allows, or a body cut short.
                if (e.StatusCode == StatusCodes.Status413PayloadTooLarge) throw new MessageTooLargeException(limitName, limit, advice);
                throw new MalformedRequestException("The request body is not a well-formed HTTP/2 body.");
            }
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

    private static void Check(GatedMethod method, ReadOnlySequence<byte> message)
    {
        try
        {
            method.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new MalformedRequestException($"The request is not a valid {method.RequestTypeName} message.");
        }
    }

    private static byte[] Framed(byte[] message)
    {
        var framed = new byte[HeaderSize + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed.AsSpan(HeaderSize));
        return framed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a {Method} request before it ran: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string reason);
}
