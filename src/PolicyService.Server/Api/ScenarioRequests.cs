using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>A request's scenario read into assumptions: every id is looked up as known at the request's instant.</summary>
internal static class ScenarioRequests
{
    /// <summary>More assumptions than any what-if needs would only multiply the work of one request.</summary>
    public const int MaxAssumptions = 20;

    public static async Task<IReadOnlyList<ScenarioAssumption>> ReadAsync(V1.Scenario? scenario, IPolicyStore store, DateTime knownAt, CancellationToken ct)
    {
        if (scenario is null || scenario.Assumptions.Count == 0) return [];
        var v = new RequestValidation();
        if (scenario.Assumptions.Count > MaxAssumptions) v.Fail("scenario.assumptions", $"has {scenario.Assumptions.Count} assumptions: at most {MaxAssumptions}");
        var assumptions = new List<ScenarioAssumption>();
        for (var i = 0; i < scenario.Assumptions.Count && i < MaxAssumptions; i++)
        {
            var path = $"scenario.assumptions[{i}]";
            switch (scenario.Assumptions[i].AssumptionCase)
            {
                case V1.ScenarioAssumption.AssumptionOneofCase.TruceLapses:
                {
                    var lapse = scenario.Assumptions[i].TruceLapses;
                    var id = v.Id($"{path}.truce_lapses.truce_id", lapse.TruceId);
                    var on = Required(v, $"{path}.truce_lapses.on_date", lapse.OnDate);
                    if (id.Length is 0 or > 64) break;
                    if (await store.GetTruceAsync(id, knownAt, ct) is not { } truce) v.Fail($"{path}.truce_lapses.truce_id", $"no truce has the id \"{Echo.Cut(id)}\"");
                    else if (on is { } date) assumptions.Add(new TruceLapse(truce.Id, truce.Terms.Select(t => t.Id).ToHashSet(StringComparer.Ordinal), date));
                    break;
                }
                case V1.ScenarioAssumption.AssumptionOneofCase.AnnouncedTakesEffect:
                {
                    var effect = scenario.Assumptions[i].AnnouncedTakesEffect;
                    var id = v.Id($"{path}.announced_takes_effect.measure_id", effect.MeasureId);
                    var on = Required(v, $"{path}.announced_takes_effect.on_date", effect.OnDate);
                    if (id.Length is 0 or > 64) break;
                    var known = await store.GetTariffMeasureAsync(id, knownAt, ct) is not null || await store.GetExportControlAsync(id, knownAt, ct) is not null;
                    if (!known) v.Fail($"{path}.announced_takes_effect.measure_id", $"no tariff measure or export control has the id \"{Echo.Cut(id)}\"");
                    else if (on is { } date) assumptions.Add(new AnnouncedTakesEffect(id, date));
                    break;
                }
                default:
                    v.Fail(path, "sets neither truce_lapses nor announced_takes_effect");
                    break;
            }
        }
        v.ThrowIfInvalid();
        return assumptions;
    }

    private static DateOnly? Required(RequestValidation v, string field, Google.Type.Date? date)
    {
        if (date is null) v.Fail(field, "is required: the date the assumption takes effect");
        return v.OptionalDate(field, date);
    }

    public static V1.AppliedScenario? ToProto(IReadOnlyList<AppliedAssumption> applied) => applied.Count == 0 ? null : new V1.AppliedScenario
    {
        Assumptions =
        {
            applied.Select(a => new V1.AppliedAssumption
            {
                Assumption = ToProto(a.Assumption),
                ChangedRecordIds = { a.ChangedRecordIds },
            }),
        },
    };

    /// <summary>One assumption as a caller would send it.</summary>
    public static V1.ScenarioAssumption ToProto(ScenarioAssumption assumption) => assumption switch
    {
        TruceLapse lapse => new V1.ScenarioAssumption { TruceLapses = new V1.TruceLapse { TruceId = lapse.TruceId, OnDate = lapse.OnDate.ToProto() } },
        AnnouncedTakesEffect effect => new V1.ScenarioAssumption { AnnouncedTakesEffect = new V1.AnnouncedTakesEffect { MeasureId = effect.RecordId, OnDate = effect.OnDate.ToProto() } },
        _ => throw new InvalidOperationException($"Unmapped assumption {assumption.GetType().Name}."),
    };
}
