using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using PolicyService.Server.Hosting;

namespace PolicyService.Server.Api;

/// <summary>Which request-size limit an RPC's messages are held to (README, "Limits").</summary>
public enum LimitFamily
{
    Read,
    Admin,
    Import,
}

/// <summary>
/// One mapped RPC as the request gate sees it: its request type's parser, whether callers stream requests, its limit,
/// and whether the endpoint is the JSON transcoding of the method rather than gRPC itself.
/// </summary>
public sealed record GatedMethod(string ServiceName, string Name, MethodType Type, MessageParser Parser, string RequestTypeName, LimitFamily Family, bool IsJson)
{
    public string FullName => $"{ServiceName}/{Name}";

    /// <summary>The caller sends one message (unary and server streaming), which the gate reads and checks whole.</summary>
    public bool HasSingleRequest => Type is MethodType.Unary or MethodType.ServerStreaming;

    public (string Name, int Bytes, string Advice) Limit(LimitsOptions limits) => Family switch
    {
        LimitFamily.Import => ("Limits:ImportMessageBytes", limits.ImportMessageBytes,
            "Split the import into several ImportChanges calls, each under the limit and with its own request_id."),
        LimitFamily.Admin => ("Limits:AdminMessageBytes", limits.AdminMessageBytes, ""),
        _ => ("Limits:ReadMessageBytes", limits.ReadMessageBytes, ""),
    };
}

/// <summary>
/// The RPCs behind the gate, derived from the endpoints themselves: every endpoint that grpc-dotnet maps for a service
/// method (and its JSON transcoding) carries the method, so a newly mapped service is gated with no list to update.
/// </summary>
public static class GatedMethods
{
    private static readonly ConcurrentDictionary<Endpoint, GatedMethod?> ByEndpoint = new();

    /// <summary>The gated method an endpoint serves, or null when it serves none (pages, OpenAPI, unknown gRPC methods).</summary>
    public static GatedMethod? Of(Endpoint? endpoint) => endpoint is null ? null : ByEndpoint.GetOrAdd(endpoint, Derive);

    private static GatedMethod? Derive(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { MethodDescriptor: var json })
        {
            var type = (json.IsClientStreaming, json.IsServerStreaming) switch
            {
                (false, false) => MethodType.Unary,
                (false, true) => MethodType.ServerStreaming,
                (true, false) => MethodType.ClientStreaming,
                _ => MethodType.DuplexStreaming,
            };
            return new(json.Service.FullName, json.Name, type, json.InputType.Parser, json.InputType.FullName, FamilyOf(json.Service.FullName, json.Name), IsJson: true);
        }
        if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not { Method: var method }) return null;
        // Method<TRequest, TResponse>: protobuf request types describe themselves through a static Descriptor.
        var requestType = method.GetType().GetGenericArguments().FirstOrDefault();
        var descriptor = requestType?.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor
            ?? throw new InvalidOperationException($"{method.FullName} takes {requestType}, which is not a protobuf message: the request gate cannot check it.");
        return new(method.ServiceName, method.Name, method.Type, descriptor.Parser, descriptor.FullName, FamilyOf(method.ServiceName, method.Name), IsJson: false);
    }

    private static LimitFamily FamilyOf(string service, string method) => (service, method) switch
    {
        ("tradepolicy.v1.PolicyAdminService", "ImportChanges") => LimitFamily.Import,
        ("tradepolicy.v1.PolicyAdminService", _) => LimitFamily.Admin,
        _ => LimitFamily.Read,
    };
}
