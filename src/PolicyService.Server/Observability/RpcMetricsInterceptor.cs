using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PolicyService.Server.Observability;

/// <summary>
/// Times every unary call and records its final status. It must be the outermost interceptor, so that it sees the
/// status the error-mapping interceptor chose rather than the raw exception (see <see cref="ObservabilityRegistration"/>).
/// </summary>
public sealed class RpcMetricsInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCode.Unknown;
        try
        {
            var response = await continuation(request, context);
            status = StatusCode.OK;
            return response;
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            throw;
        }
        finally
        {
            PolicyTelemetry.RecordRpc(context.Method, status, Stopwatch.GetElapsedTime(started));
        }
    }
}
