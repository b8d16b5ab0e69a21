using System.Globalization;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// Reads records sent for writing (one file per resource, beside its mapping to proto) from their tradepolicy.v1 messages into domain records. Every field it cannot read
/// (a rate that is not a decimal, an impossible date, a missing enum) becomes a violation named by its proto path.
/// </summary>
public sealed partial class ProtoReader(RequestValidation validation)
{
    /// <summary>Sources that came with their title and urls: recorded if new.</summary>
    public List<D.Source> NewSources { get; } = [];

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

    private D.ProductScope Read(V1.ProductScope s, string path) =>
        new(s.AllProducts, [.. s.HsPrefixes], [.. s.ExcludedHsPrefixes], s.Description, s.MappingNote,
            [.. s.DatedExclusions.Select((x, i) => new D.ScopeExclusion(x.HsPrefix.Trim(),
                Date(x.StartDate, $"{path}.dated_exclusions[{i}].start_date"), Date(x.EndDate, $"{path}.dated_exclusions[{i}].end_date"),
                x.Basis.Trim()))]);

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
            if (source.Title.Length > 0) NewSources.Add(new D.Source(source.Id.Trim(), source.Title, Urls(source.Urls, $"{path}[{i}].urls")));
        }
        return ids;
    }

    /// <summary>A source's URLs, each failing validation under its own path unless it is an http or https URL.</summary>
    private List<string> Urls(IEnumerable<string> urls, string path)
    {
        var read = new List<string>();
        foreach (var (url, j) in urls.Select((u, j) => (u.Trim(), j)))
        {
            if (D.SourceUrls.IsWebUrl(url)) read.Add(url);
            else validation.Fail($"{path}[{j}]", D.SourceUrls.Rule);
        }
        return read;
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

    /// <summary>An enum whose UNSPECIFIED reads as a stated default (data written before the field existed).</summary>
    private T OptionalEnum<T>(int value, T whenUnspecified, string field) where T : struct, Enum
    {
        if (value == 0) return whenUnspecified;
        if (!System.Enum.IsDefined(typeof(T), value)) validation.Fail(field, $"{value} is not a known value");
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
        validation.Fail(field, $"\"{Echo.Cut(value)}\" is not a decimal number such as \"7.5\"");
        return null;
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
