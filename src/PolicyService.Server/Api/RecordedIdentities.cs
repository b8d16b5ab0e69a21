using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using PolicyService.Server.Hosting;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// Who recorded a version, and why, names people: once any authentication is configured, only callers with the reader
/// (or editor) role see <c>recorded_by</c> and <c>reason</c> on records and change events; others get them empty.
/// Without authentication (a trusted network), everyone sees them.
/// </summary>
public sealed class RecordedIdentities(IOptions<AuthOptions> auth, IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator)
{
    public async Task<bool> VisibleToAsync(HttpContext http)
    {
        if (!auth.Value.IsConfigured) return true;
        var policy = await policies.GetPolicyAsync(Callers.ReaderPolicy) ?? throw new InvalidOperationException("The reader policy is not registered.");
        var authenticated = await evaluator.AuthenticateAsync(policy, http);
        return (await evaluator.AuthorizeAsync(policy, authenticated, http, null)).Succeeded;
    }

    /// <summary>Clears who and why on the records unless the caller may see them.</summary>
    public async Task HideUnlessVisibleAsync(HttpContext http, IEnumerable<V1.RecordInfo?> recorded)
    {
        if (await VisibleToAsync(http)) return;
        foreach (var info in recorded.OfType<V1.RecordInfo>())
        {
            info.RecordedBy = "";
            info.Reason = "";
        }
    }
}
