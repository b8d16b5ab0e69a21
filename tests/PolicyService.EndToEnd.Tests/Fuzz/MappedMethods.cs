using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace PolicyService.EndToEnd.Tests.Fuzz;

/// <summary>One RPC the server maps, described from the server's own reflection answers, with its JSON route if it has one.</summary>
public sealed record MappedMethod(MethodDescriptor Descriptor, HttpRule? Route)
{
    public string Path => $"/{Descriptor.Service.FullName}/{Descriptor.Name}";

    public override string ToString() => Path;
}

/// <summary>
/// The services a running server maps, as server reflection lists them (grpc-dotnet derives that list from the mapped
/// endpoints), and their methods built from the file descriptors the server sends: nothing here names a service.
/// </summary>
public static class MappedMethods
{
    public static async Task<IReadOnlyList<MappedMethod>> ReadAsync(GrpcChannel channel, CancellationToken ct)
    {
        var client = new ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo(cancellationToken: ct);
        async Task<ServerReflectionResponse> Ask(ServerReflectionRequest request)
        {
            await call.RequestStream.WriteAsync(request, ct);
            if (!await call.ResponseStream.MoveNext(ct)) throw new InvalidOperationException("Reflection ended the stream.");
            return call.ResponseStream.Current;
        }

        var services = (await Ask(new() { ListServices = "" })).ListServicesResponse.Service.Select(s => s.Name).ToList();
        var files = new Dictionary<string, ByteString>(StringComparer.Ordinal);
        void Keep(ServerReflectionResponse response)
        {
            foreach (var bytes in response.FileDescriptorResponse.FileDescriptorProto)
                files.TryAdd(FileDescriptorProto.Parser.ParseFrom(bytes).Name, bytes);
        }
        foreach (var service in services) Keep(await Ask(new() { FileContainingSymbol = service }));
        // Dependencies the answers named but did not include are asked for by name until none is missing.
        while (files.Values.SelectMany(b => FileDescriptorProto.Parser.ParseFrom(b).Dependency).Where(d => !files.ContainsKey(d)).Distinct().ToList() is { Count: > 0 } missing)
        {
            foreach (var name in missing) Keep(await Ask(new() { FileByFilename = name }));
        }
        await call.RequestStream.CompleteAsync();

        var registry = new ExtensionRegistry { AnnotationsExtensions.Http };
        var built = FileDescriptor.BuildFromByteStrings(DependenciesFirst(files), registry);
        return [.. built.SelectMany(f => f.Services).Where(s => services.Contains(s.FullName))
            .SelectMany(s => s.Methods).Select(m => new MappedMethod(m, m.GetOptions()?.GetExtension(AnnotationsExtensions.Http)))];
    }

    private static List<ByteString> DependenciesFirst(Dictionary<string, ByteString> files)
    {
        var ordered = new List<ByteString>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string name)
        {
            if (!done.Add(name)) return;
            foreach (var dependency in FileDescriptorProto.Parser.ParseFrom(files[name]).Dependency) Visit(dependency);
            ordered.Add(files[name]);
        }
        foreach (var name in files.Keys.Order(StringComparer.Ordinal)) Visit(name);
        return ordered;
    }
}
