using Google.Protobuf;
using Grpc.Core;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>
/// A caller's stream of request messages (client and duplex streaming, such as server reflection), whose read errors
/// are the caller's: grpc-dotnet throws the parser's exception or INTERNAL for bytes that are not a message of the
/// type, and RESOURCE_EXHAUSTED with no ErrorInfo for one over the limit. Here they become the gate's own refusals.
/// </summary>
public sealed class CallerMessages<T>(IAsyncStreamReader<T> messages, string typeName, string limitName, int limitBytes, CancellationToken callAborted)
    : IAsyncStreamReader<T>
{
    public T Current => messages.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try
        {
            return await messages.MoveNext(cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            throw new MessageTooLargeException(limitName, limitBytes, "");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Internal)
        {
            throw new MalformedRequestException($"A streamed request is not a sequence of {typeName} messages: {e.Status.Detail}");
        }
        catch (IOException e) when (e.Message.StartsWith("Message too large", StringComparison.Ordinal))
        {
            throw new MessageTooLargeException(limitName, limitBytes, ""); // a length prefix past 2 GiB
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            throw new MalformedRequestException($"A streamed request is not a sequence of valid {typeName} messages.");
        }
        catch (Exception e) when (e is IOException || (e is InvalidOperationException && callAborted.IsCancellationRequested))
        {
            // Below the parser's InvalidProtocolBufferException, itself an IOException: the caller reset or disconnected while sending.
            throw new CallerEndedCallException(e);
        }
    }
}

/// <summary>The caller reset the call or dropped its connection while sending its messages: CANCELLED, not a fault of the service.</summary>
public sealed class CallerEndedCallException(Exception inner) : OperationCanceledException("The caller ended the call while sending.", inner);
