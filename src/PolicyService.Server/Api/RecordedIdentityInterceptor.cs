using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PolicyService.Server.Api;

/// <summary>
/// The one place that hides who recorded a version, and why, from callers who may not see them: every unary response
/// and every message of a server stream passes through here on both ports (the JSON API is transcoded through the same
/// gRPC pipeline), so a new read cannot forget it.
/// </summary>
public sealed class RecordedIdentityInterceptor(RecordedIdentities identities) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var response = await continuation(request, context);
        if (response is IMessage message && await MustHideAsync(message.Descriptor, context)) RecordedIdentities.Hide(message);
        return response;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var type = (Activator.CreateInstance<TResponse>() as IMessage)?.Descriptor;
        // Decided once per stream: the caller's credentials do not change within a call.
        var hide = type is not null && await MustHideAsync(type, context);
        await continuation(request, hide ? new HidingWriter<TResponse>(responseStream) : responseStream, context);
    }

    private async ValueTask<bool> MustHideAsync(Google.Protobuf.Reflection.MessageDescriptor type, ServerCallContext context) =>
        !identities.ShownToEveryone && RecordedIdentities.CanCarryIdentity(type) && !await identities.VisibleToAsync(context.GetHttpContext());

    private sealed class HidingWriter<T>(IServerStreamWriter<T> inner) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            RecordedIdentities.Hide((IMessage)message!);
            return inner.WriteAsync(message);
        }

        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            RecordedIdentities.Hide((IMessage)message!);
            return inner.WriteAsync(message, cancellationToken);
        }
    }
}
