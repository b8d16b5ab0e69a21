using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using PolicyService.Server.Domain;
using PolicyService.Server.Hosting;
using PolicyService.Server.Storage;
using TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// The one place where exceptions become gRPC statuses, each a google.rpc.Status with one ErrorInfo.
/// A caller's mistake gets a precise status and details; anything unexpected gets a bare INTERNAL and a log entry.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger, StorageHealth health, LimitsOptions limits) : Interceptor
{
    public const string Domain = "tradepolicy.v1";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(Checked(requestStream, context), context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(Checked(requestStream, context), responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <summary>Streamed requests are held to the read limit by gRPC (GrpcServiceOptions.MaxReceiveMessageSize).</summary>
    private CallerMessages<TRequest> Checked<TRequest>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context) =>
        new(requestStream, typeof(TRequest).Name, "Limits:ReadMessageBytes", limits.ReadMessageBytes, context.CancellationToken);

    private RpcException Map(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case StoreMisconfiguredException misconfigured:
                // Not UNAVAILABLE: retrying cannot help until an operator fixes the server's configuration.
                LogMisconfigured(logger, misconfigured, context.Method);
                return Status(Code.FailedPrecondition, "The policy service cannot use its database: its configuration is wrong. Do not retry; report it to the operator.",
                    ErrorReason.DatabaseMisconfigured, null, ("setting", StoreMisconfiguredException.Setting)).ToRpcException();
            case StoreUnavailableException unavailable:
                // Readiness turns NOT_SERVING and the fault is logged once, by StorageHealth; each call only at Debug.
                health.Report(StorageHealth.Describe(unavailable), unavailable);
                LogUnavailable(logger, unavailable.InnerException, context.Method);
                return Status(Code.Unavailable, "The policy database is unavailable; retry shortly.", ErrorReason.DatabaseUnavailable, null).ToRpcException();
            case CallerEndedCallException:
            case OperationCanceledException or IOException or InvalidOperationException when CallerGone(context):
                // The caller cancelled or went away: reading or writing its stream fails in these ways, none a fault of the service.
                return Status(Code.Cancelled, "The call was cancelled.", ErrorReason.Cancelled, null).ToRpcException();
        }
        if (CallerStatus(exception) is { } status) return status.ToRpcException();
        LogUnhandled(logger, exception, context.Method);
        return Status(Code.Internal, "Internal error.", ErrorReason.Internal, null).ToRpcException();
    }

    private static bool CallerGone(ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested || context.GetHttpContext().RequestAborted.IsCancellationRequested;

    /// <summary>
    /// The status of an error the caller caused, or null when the error is not the caller's. Also used for the errors
    /// found before a service method runs (<see cref="RequestGate"/>), so every status is built here.
    /// </summary>
    public static Google.Rpc.Status? CallerStatus(Exception exception)
    {
        switch (exception)
        {
            case ConcurrencyConflictException { AlreadyExists: true } exists:
                return Status(Code.AlreadyExists, exists.Message, ErrorReason.AlreadyExists, null, ("resource_type", exists.ResourceType), ("id", exists.Id));
            case ConcurrencyConflictException { Missing: true } missing:
                return Status(Code.NotFound, missing.Message, ErrorReason.ResourceNotFound, null, ("resource_type", missing.ResourceType), ("id", missing.Id));
            case ConcurrencyConflictException conflict:
                return Status(Code.Aborted, conflict.Message, ErrorReason.EtagMismatch, null, ("resource_type", conflict.ResourceType), ("id", conflict.Id),
                    ("current_etag", conflict.ActualVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            case InvalidRequestException invalid:
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(invalid.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
                return Status(Code.InvalidArgument, invalid.Message, ErrorReason.InvalidArgument, badRequest,
                    ("fields", string.Join(',', invalid.Violations.Select(v => v.Field).Distinct())));
            case ResourceNotFoundException notFound:
                return Status(Code.NotFound, notFound.Message, ErrorReason.ResourceNotFound, null,
                    ("resource_type", notFound.ResourceType), ("id", notFound.Id));
            case MessageTooLargeException tooLarge:
                return Status(Code.ResourceExhausted, tooLarge.Message, ErrorReason.MessageTooLarge, null, ("limit_name", tooLarge.LimitName),
                    ("limit_bytes", tooLarge.LimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            case CallerNotAuthorizedException { Authenticated: true } denied:
                return Status(Code.PermissionDenied, denied.Message, ErrorReason.RoleMissing, null);
            case CallerNotAuthorizedException unauthenticated:
                return Status(Code.Unauthenticated, unauthenticated.Message, ErrorReason.CredentialsMissing, null);
            case TooManySubscribersException tooMany:
                return Status(Code.ResourceExhausted, tooMany.Message, ErrorReason.TooManySubscribers, null, ("limit_name", tooMany.LimitName),
                    ("limit", tooMany.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            case MalformedRequestException malformed:
                return Status(Code.InvalidArgument, malformed.Message, ErrorReason.MalformedRequest, null);
            default:
                return null;
        }
    }

    private static Google.Rpc.Status Status(Code code, string message, ErrorReason reason, Google.Protobuf.IMessage? detail, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason.ToReasonString(), Domain = Domain };
        foreach (var (key, value) in metadata) info.Metadata[key] = value;
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (detail is not null) status.Details.Add(Any.Pack(detail));
        return status;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Database unavailable during {Method}.")]
    private static partial void LogUnavailable(ILogger logger, Exception? exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database misconfigured during {Method}: fix ConnectionStrings:Policy.")]
    private static partial void LogMisconfigured(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method}.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);
}
