using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PolicyService.Server.Hosting;

/// <summary>
/// The same API as JSON over HTTP/1.1, on a port of its own: routes transcoded from the protos' google.api.http options
/// by the gRPC services themselves (so interceptors, validation, auth and metrics are the same code), and an OpenAPI
/// document generated from the same protos and their comments at GET /openapi/v1.json, with a reference page at /openapi/.
/// </summary>
public static class HttpApi
{
    public const string Section = "HttpApi";

    /// <summary>Where the JSON API listens unless <c>HttpApi:Url</c> says otherwise (empty: not at all).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5081";

    public const string OpenApiRoute = "openapi/{documentName}.json";

    public static WebApplicationBuilder AddPolicyHttpApi(this WebApplicationBuilder builder)
    {
        // Errors carry google.rpc.Status details (ErrorInfo, BadRequest) as Any: the JSON writer must know their types.
        builder.Services.AddGrpc().AddJsonTranscoding(o => o.TypeRegistry = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor));
        builder.Services.AddGrpcSwagger();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new() { Title = "PolicyService (tradepolicy.v1)", Version = "v1",
                Description = "Trade-policy measures (tariffs, export controls, truces) as dated timelines, with their reasons and sources. JSON transcoded from the gRPC API; errors are google.rpc.Status." });
            // The proto comments, compiled into the contracts' XML documentation, become the operations' descriptions.
            var docs = Path.Combine(AppContext.BaseDirectory, "PolicyService.Contracts.xml");
            if (File.Exists(docs))
            {
                swagger.IncludeXmlComments(docs);                                            // messages and fields
                swagger.IncludeGrpcXmlComments(docs, includeControllerXmlComments: true);    // services and RPCs
            }
        });

        var url = builder.Configuration[$"{Section}:Url"] ?? DefaultUrl;
        if (url.Length == 0) return builder;
        var address = BindingAddress.Parse(url);
        if (address.Port == 0)
            throw new InvalidOperationException($"{Section}:Url ({url}) needs a fixed port: the port is how its endpoint is told apart from the gRPC one.");
        builder.Services.AddSingleton(new HttpApiEndpoint(address.Port));

        // Kestrel binds Kestrel:Endpoints when any are configured (TLS), else Urls: the JSON port joins whichever is in use.
        if (builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.Configuration.AddInMemoryCollection([new("Kestrel:Endpoints:HttpApi:Url", url), new("Kestrel:Endpoints:HttpApi:Protocols", nameof(HttpProtocols.Http1))]);
            return builder;
        }
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : "http://localhost:5000";
        builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), url]);
        // gRPC stays HTTP/2 only (Kestrel:EndpointDefaults); browsers, curl and spreadsheets speak HTTP/1.1 on cleartext.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == address.Port) listen.Protocols = HttpProtocols.Http1;
        }));
        return builder;
    }

    public static WebApplication MapPolicyHttpApi(this WebApplication app)
    {
        if (app.Services.GetService<HttpApiEndpoint>() is { } endpoint)
        {
            app.Use((context, next) =>
            {
                // `curl -d` labels its body a form: on the JSON port a body sent as a form, or unlabelled, is read as JSON.
                if (context.Connection.LocalPort == endpoint.Port && HttpMethods.IsPost(context.Request.Method) &&
                    (context.Request.ContentType is null || context.Request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
                {
                    context.Request.ContentType = "application/json";
                }
                return next(context);
            });
            // The analysts' page (wwwroot/index.html and its scripts) at "/", on the JSON port only: gRPC callers never see it.
            app.UseWhen(context => context.Connection.LocalPort == endpoint.Port, page => page.UseDefaultFiles().UseStaticFiles(PageHeaders.StaticFiles()));
        }
        app.MapSwagger(OpenApiRoute);
        // The interactive reference (Swagger UI, served from the package's embedded files) at /openapi/.
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "openapi";
            ui.SwaggerEndpoint("/openapi/v1.json", "tradepolicy.v1");
            ui.DocumentTitle = "PolicyService API";
        });
        return app;
    }

    /// <summary>The port the JSON API listens on.</summary>
    private sealed record HttpApiEndpoint(int Port);
}
