using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http.Features;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>
/// The JSON API's request limits, the same per RPC family as gRPC's, applied before JSON transcoding parses a byte: a
/// declared length over the limit is refused unread, and a body of undeclared length is read only up to the limit.
/// Refusals are the google.rpc.Status JSON the transcoded API gives for every other error.
/// </summary>
public static class JsonBodyLimit
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor)));

    /// <summary>
    /// Holds the body to the limit (a body of undeclared length is replaced by the bytes read); throws
    /// <see cref="MessageTooLargeException"/> when it is over.
    /// </summary>
    public static async Task HoldAsync(HttpContext context, string limitName, int limit, string advice)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared)
        {
            if (declared > limit) throw new MessageTooLargeException(limitName, limit, advice);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
            return;
        }
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method)) return;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = limit + 1L;
        var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (body.Length + n > limit) throw new MessageTooLargeException(limitName, limit, advice); // stop reading at the limit
                body.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new MessageTooLargeException(limitName, limit, advice);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        body.Position = 0;
        request.Body = body;
    }

    /// <summary>
    /// The status as the JSON API writes errors. A body too large is 413 (the bytes left unread close the connection);
    /// anything else keeps the transcoder's mapping of the code.
    /// </summary>
    public static async Task WriteStatusAsync(HttpContext context, Google.Rpc.Status status)
    {
        var response = context.Response;
        response.StatusCode = status.Code == (int)Grpc.Core.StatusCode.ResourceExhausted ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
        response.ContentType = "application/json; charset=utf-8";
        if (HttpProtocol.IsHttp11(context.Request.Protocol)) response.Headers.Connection = "close";
        await response.WriteAsync(Formatter.Format(status), context.RequestAborted);
    }
}
