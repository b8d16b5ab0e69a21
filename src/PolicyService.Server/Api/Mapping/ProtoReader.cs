using System.Globalization;
using PolicyService.Server.Api;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Changes;

/// <summary>
/// Reads records sent for writing from their tradepolicy.v1 messages into domain records. Every field it cannot read
/// (a rate that is not a decimal, an impossible date, a missing enum) becomes a violation named by its proto path.
/// </summary>
public sealed class ProtoReader(RequestValidation validation)
{
    /// <summary>Sources that came with their title and urls: recorded if new.</summary>
    public List<D.Source> NewSources { get; } = [];

    public D.TariffMeasure Read(V1.TariffMeasure m, string path) => new(
        m.Id.Trim(),
        Code(m.Importer),
        [.. m.Origins.Select(Code)],
        m.AllOrigins,
        Text(m.Title, $"{path}.title"),
        Enum<D.TariffKind>((int)m.Kind, $"{path}.kind"),
        Read(m.ProductScope ?? new V1.ProductScope()),
        m.LegalInstrument,
        Enum<D.Confidence>((int)m.Confidence, $"{path}.confidence"),
        m.Notes,
        Sources(m.Sources, $"{path}.sources"),
        [.. m.Periods.Select((p, i) => Read(p, $"{path}.periods[{i}]"))],
        [.. m.ExcludedBy.Select(r => new D.StackingExclusion(r.MeasureId, r.Reason))]);

    public D.ExportControl Read(V1.ExportControl c, string path) => new(
        c.Id.Trim(),
        Code(c.Exporter),
        [.. c.Destinations.Select(Code)],
        c.AllDestinations,
        Text(c.Title, $"{path}.title"),
        Enum<D.ExportControlType>((int)c.ControlType, $"{path}.control_type"),
        Read(c.ProductScope ?? new V1.ProductScope()),
        [.. c.Items.Select(i => new D.ControlledItem(i.Name.Trim().ToLowerInvariant(), i.ControlCode, [.. i.HsCodes]))],
        [.. c.Rules],
        c.LegalInstrument,
        Enum<D.Confidence>((int)c.Confidence, $"{path}.confidence"),
        c.Notes,
        Sources(c.Sources, $"{path}.sources"),
        [.. c.Periods.Select((p, i) => Read(p, $"{path}.periods[{i}]"))]);

    public D.Truce Read(V1.Truce t, string path) => new(
        t.Id.Trim(),
        [.. t.Parties.Select(Code)],
        Text(t.Title, $"{path}.title"),
        Date(t.ConcludedDate, $"{path}.concluded_date") ?? default,
        Date(t.EffectiveDate, $"{path}.effective_date") ?? default,
        Enum<D.Confidence>((int)t.Confidence, $"{path}.confidence"),
        t.Notes,
        Sources(t.Sources, $"{path}.sources"),
        [.. t.Extensions.Select((e, i) => new D.TruceExtension(e.RecordId,
            Date(e.StartDate, $"{path}.extensions[{i}].start_date") ?? default,
            Date(e.ExpiryDate, $"{path}.extensions[{i}].expiry_date") ?? default, e.LegalInstrument, e.Note))],
        [.. t.Terms.Select((x, i) => Read(x, $"{path}.terms[{i}]"))],
        [.. t.Events.Select((e, i) => new D.PolicyEvent(e.Id,
            Date(e.Date, $"{path}.events[{i}].date") ?? default, [.. e.Actors], e.Subject, e.Description,
            Sources(e.Sources, $"{path}.events[{i}].sources"), Enum<D.Confidence>((int)e.Confidence, $"{path}.events[{i}].confidence")))]);

    public D.StatusChange Read(V1.StatusChange s, string path) => new(
        s.MeasureId.Trim(),
        Enum<D.PeriodStatus>((int)s.Status, $"{path}.status"),
        Date(s.EffectiveDate, $"{path}.effective_date") ?? Missing<DateOnly>($"{path}.effective_date"),
        Percent(s.AdValoremPercent, $"{path}.ad_valorem_percent"),
        Percent(s.SuspendedPercent, $"{path}.suspended_percent"),
        Date(s.SuspendedUntil, $"{path}.suspended_until"),
        NullIfEmpty(s.TruceTermId),
        s.LegalInstrument,
        s.RecordId,
        s.Note,
        Enum<D.Confidence>((int)s.Confidence, $"{path}.confidence"));

    /// <summary>The source ids a status change cites (recorded on the record it changes).</summary>
    public IReadOnlyList<string> StatusSources(V1.StatusChange s, string path) => Sources(s.Sources, $"{path}.sources");

    private D.TruceTerm Read(V1.TruceTerm x, string path) => new(
        x.Id.Trim(),
        [.. x.CommittingParties.Select(Code)],
        Enum<D.TruceTermType>((int)x.TermType, $"{path}.term_type"),
        x.Scope,
        x.Description,
        x.LegalInstrument,
        Date(x.AnnouncedDate, $"{path}.announced_date"),
        Date(x.EffectiveDate, $"{path}.effective_date"),
        x.StatusNote,
        [.. x.MeasureIds],
        [.. x.Purchases.Select((p, i) => new D.PurchaseCommitment(p.Commodity, p.HsPrefix,
            Decimal(p.Quantity, $"{path}.purchases[{i}].quantity") ?? 0,
            p.Unit, Date(p.StartDate, $"{path}.purchases[{i}].start_date") ?? default, Date(p.EndDate, $"{path}.purchases[{i}].end_date") ?? default))],
        Sources(x.Sources, $"{path}.sources"),
        Enum<D.Confidence>((int)x.Confidence, $"{path}.confidence"));

    private D.TariffPeriod Read(V1.TariffPeriod p, string path) => new(
        p.RecordId,
        Date(p.StartDate, $"{path}.start_date") ?? Missing<DateOnly>($"{path}.start_date"),
        Date(p.EndDate, $"{path}.end_date"),
        Enum<D.PeriodStatus>((int)p.Status, $"{path}.status"),
        Percent(p.AdValoremPercent, $"{path}.ad_valorem_percent"),
        p.RateDescription,
        p.LegalInstrument,
        Percent(p.SuspendedPercent, $"{path}.suspended_percent"),
        Date(p.SuspendedUntil, $"{path}.suspended_until"),
        NullIfEmpty(p.TruceTermId),
        p.Note,
        Enum<D.Confidence>((int)p.Confidence, $"{path}.confidence"));

    private D.ControlPeriod Read(V1.ControlPeriod p, string path) => new(
        p.RecordId,
        Date(p.StartDate, $"{path}.start_date") ?? Missing<DateOnly>($"{path}.start_date"),
        Date(p.EndDate, $"{path}.end_date"),
        Enum<D.PeriodStatus>((int)p.Status, $"{path}.status"),
        p.LegalInstrument,
        Date(p.SuspendedUntil, $"{path}.suspended_until"),
        NullIfEmpty(p.TruceTermId),
        p.Note,
        Enum<D.Confidence>((int)p.Confidence, $"{path}.confidence"));

    private static D.ProductScope Read(V1.ProductScope s) =>
        new(s.AllProducts, [.. s.HsPrefixes], [.. s.ExcludedHsPrefixes], s.Description, s.MappingNote);

    private List<string> Sources(IEnumerable<V1.Source> sources, string path)
    {
        var ids = new List<string>();
        foreach (var (source, i) in sources.Select((s, i) => (s, i)))
        {
            if (string.IsNullOrWhiteSpace(source.Id))
            {
                validation.Fail($"{path}[{i}].id", "is required");
                continue;
            }
            ids.Add(source.Id.Trim());
            if (source.Title.Length > 0) NewSources.Add(new D.Source(source.Id.Trim(), source.Title, [.. source.Urls]));
        }
        return ids;
    }

    private static string Code(string value) => D.Jurisdiction.TryNormalize(value, out var code) ? code : value;

    private string Text(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) validation.Fail(field, "is required");
        return value.Trim();
    }

    private T Enum<T>(int value, string field) where T : struct, Enum
    {
        if (value == 0 || !System.Enum.IsDefined(typeof(T), value)) validation.Fail(field, "is required (a value other than UNSPECIFIED)");
        return (T)(object)value;
    }

    private DateOnly? Date(Google.Type.Date? date, string field) => date is null ? null : validation.OptionalDate(field, date);

    private T Missing<T>(string field)
    {
        validation.Fail(field, "is required");
        return default!;
    }

    private decimal? Percent(string value, string field) => Decimal(value, field);

    private decimal? Decimal(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (decimal.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)) return d;
        validation.Fail(field, $"\"{value}\" is not a decimal number such as \"7.5\"");
        return null;
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
