using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using PolicyService.Server.Hosting;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// Who recorded a version, and why, names people: once any authentication is configured, only callers with the reader
/// (or editor) role see <c>recorded_by</c> and <c>reason</c> on records and change events; others get them empty.
/// Without authentication (a trusted network), everyone sees them. <see cref="RecordedIdentityInterceptor"/> applies
/// this to every response, so no read has to remember it.
/// </summary>
public sealed class RecordedIdentities(IOptions<AuthOptions> auth, IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator)
{
    // The messages that carry an identity, and the numbers of the fields that hold it.
    private static readonly Dictionary<MessageDescriptor, int[]> IdentityFields = new()
    {
        [V1.RecordInfo.Descriptor] = [V1.RecordInfo.RecordedByFieldNumber, V1.RecordInfo.ReasonFieldNumber],
        [V1.PolicyChangeEvent.Descriptor] = [V1.PolicyChangeEvent.RecordedByFieldNumber, V1.PolicyChangeEvent.ReasonFieldNumber],
    };

    // Per message type: whether any message nested in it (at any depth) carries an identity. Most answers never do.
    private static readonly ConcurrentDictionary<MessageDescriptor, bool> Reaches = new();

    /// <summary>Without authentication configured, every caller sees who and why.</summary>
    public bool ShownToEveryone => !auth.Value.IsConfigured;

    public async Task<bool> VisibleToAsync(HttpContext http)
    {
        if (!auth.Value.IsConfigured) return true;
        var policy = await policies.GetPolicyAsync(Callers.ReaderPolicy) ?? throw new InvalidOperationException("The reader policy is not registered.");
        var authenticated = await evaluator.AuthenticateAsync(policy, http);
        return (await evaluator.AuthorizeAsync(policy, authenticated, http, null)).Succeeded;
    }

    /// <summary>Whether a response of this type can hold a recorded identity anywhere inside it.</summary>
    public static bool CanCarryIdentity(MessageDescriptor type) => ReachesIdentity(type, []);

    /// <summary>Clears who and why in every record and change event the message holds, at any depth.</summary>
    public static void Hide(IMessage message)
    {
        var type = message.Descriptor;
        if (IdentityFields.TryGetValue(type, out var numbers))
        {
            foreach (var number in numbers) type.FindFieldByNumber(number).Accessor.Clear(message);
            return;
        }
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message || !CanCarryIdentity(field.MessageType)) continue;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (var entry in ((System.Collections.IDictionary)value).Values) if (entry is IMessage nested) Hide(nested);
            }
            else if (field.IsRepeated)
            {
                foreach (var item in (System.Collections.IEnumerable)value) Hide((IMessage)item);
            }
            else if (value is IMessage nested)
            {
                Hide(nested);
            }
        }
    }

    private static bool ReachesIdentity(MessageDescriptor type, HashSet<MessageDescriptor> visiting)
    {
        if (Reaches.TryGetValue(type, out var known)) return known;
        if (IdentityFields.ContainsKey(type)) return Reaches[type] = true;
        // A type met again on the path (a recursive message) adds nothing the first visit does not find.
        if (!visiting.Add(type)) return false;
        // A map field's type is its entry message, whose value field is searched like any other.
        var reaches = type.Fields.InFieldNumberOrder().Any(f => f.FieldType == FieldType.Message && ReachesIdentity(f.MessageType, visiting));
        visiting.Remove(type);
        if (visiting.Count == 0 || reaches) Reaches[type] = reaches;
        return reaches;
    }
}
