using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PolicyService.Server.Api;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Hosting;

/// <summary>
/// A refused gRPC call gets a gRPC status with ErrorInfo (UNAUTHENTICATED or PERMISSION_DENIED) instead of a bare HTTP
/// 401/403, which gRPC clients can only guess at; other requests (the JSON API, the page) keep the default challenge and forbid.
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        // A gRPC endpoint answers in gRPC whatever the request's content type; the JSON API keeps HTTP's 401 and 403.
        if (authorizeResult.Succeeded || GatedMethods.Of(context.GetEndpoint()) is not { IsJson: false })
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var refused = new CallerNotAuthorizedException(authenticated: authorizeResult.Forbidden);
        if (!refused.Authenticated) context.Response.Headers.WWWAuthenticate = "Bearer";
        await GrpcStatusResponse.WriteAsync(context, ErrorMappingInterceptor.CallerStatus(refused)!);
    }
}
