using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PolicyService.Server.Api;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Hosting;

/// <summary>
/// A refused gRPC call gets a gRPC status with ErrorInfo (UNAUTHENTICATED or PERMISSION_DENIED) instead of a bare HTTP
/// 401/403, which gRPC clients can only guess at; other requests keep the default challenge and forbid.
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var refused = new CallerNotAuthorizedException(authenticated: authorizeResult.Forbidden);
        if (!refused.Authenticated) context.Response.Headers.WWWAuthenticate = "Bearer";
        await RequestGate.WriteStatusAsync(context, ErrorMappingInterceptor.CallerStatus(refused)!);
    }
}
