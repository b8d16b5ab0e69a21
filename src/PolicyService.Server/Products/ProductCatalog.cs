using System.Text;

namespace PolicyService.Server.Products;

/// <summary>One code of the HS 2022 nomenclature.</summary>
public sealed record HsEntry(string Code, string Description, int Level, string ParentCode, string Section);

/// <summary>A code described with its heading, chapter and section (heading null for a chapter).</summary>
public sealed record ProductDescription(HsEntry Entry, HsEntry? Heading, HsEntry Chapter, string Section, string SectionName);

/// <summary>
/// The HS 2022 nomenclature (Products/hs2022.csv), held in memory: lookups by code and a word search index.
/// Built once at start-up; immutable afterwards, so safe to share between requests.
/// </summary>
public sealed class ProductCatalog
{
    public const string NomenclatureResource = "hs2022.csv";
    public const string SectionsResource = "hs2022-sections.csv";

    private readonly Dictionary<string, HsEntry> _byCode;
    private readonly Dictionary<string, string> _sections;

    public ProductCatalog(IEnumerable<HsEntry> entries, IReadOnlyDictionary<string, string> sections)
    {
        Entries = [.. entries];
        _byCode = Entries.ToDictionary(e => e.Code, StringComparer.Ordinal);
        _sections = new Dictionary<string, string>(sections, StringComparer.Ordinal);
        Index = new ProductIndex(this);
    }

    /// <summary>Every code, in nomenclature order.</summary>
    public IReadOnlyList<HsEntry> Entries { get; }

    public ProductIndex Index { get; }

    public static ProductCatalog LoadEmbedded()
    {
        var entries = Csv(NomenclatureResource).Skip(1)
            .Select(r => new HsEntry(r[1], r[2], int.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture), r[3] == "TOTAL" ? "" : r[3], r[0]));
        var sections = Csv(SectionsResource).Skip(1).ToDictionary(r => r[0], r => r[1], StringComparer.Ordinal);
        return new ProductCatalog(entries, sections);
    }

    /// <summary>The entry of exactly this code, or null.</summary>
    public HsEntry? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>The product at the longest known level (6, 4 or 2 digits) of a digits-only code, or null when none is known.</summary>
    public ProductDescription? Describe(string digits)
    {
        foreach (var length in (ReadOnlySpan<int>)[6, 4, 2])
        {
            if (digits.Length >= length && _byCode.GetValueOrDefault(digits[..length]) is { } entry) return Describe(entry);
        }
        return null;
    }

    public ProductDescription Describe(HsEntry entry)
    {
        var heading = entry.Level >= 4 ? Find(entry.Code[..4]) : null;
        var chapter = Find(entry.Code[..2]) ?? entry;
        return new ProductDescription(entry, heading, chapter, entry.Section, _sections.GetValueOrDefault(entry.Section, ""));
    }

    private static IEnumerable<string[]> Csv(string resource)
    {
        var assembly = typeof(ProductCatalog).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + resource, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) yield return SplitCsvLine(line);
        }
    }

    /// <summary>One RFC 4180 line: fields separated by commas, quoted when they hold commas, "" for a quote. The file has no line breaks inside fields.</summary>
    public static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return [.. fields];
    }
}
