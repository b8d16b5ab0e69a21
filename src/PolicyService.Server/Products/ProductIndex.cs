using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace PolicyService.Server.Products;

/// <summary>
/// Word search over the HS 2022 texts with Lucene.Net, in memory (7k short documents index in well under a second).
/// English analysis (lower case, stop words, Porter stems) makes plural and singular and word forms match; every word of
/// a query must match (falling back to any word when no product has them all); a code typed as text ("8507.60", "2846")
/// matches that code and its subdivisions. A product's own text weighs more than its heading's and chapter's.
/// </summary>
public sealed class ProductIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string CodeField = "code";
    private const string OwnField = "own";
    private const string ContextField = "context";

    /// <summary>
    /// Words whose HS text uses another word: the nomenclature says "accumulators" for rechargeable batteries and
    /// "soya beans" for soybeans. Keys and values are plain words; both sides are analysed like the texts.
    /// </summary>
    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.Ordinal)
    {
        ["battery"] = ["accumulator"],
        ["soybean"] = ["soya bean"],
        ["soy"] = ["soya"],
    };

    private readonly Analyzer _analyzer = new EnglishAnalyzer(Version);
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly IReadOnlyList<HsEntry> _entries;
    private readonly Dictionary<string, List<string>> _synonymsByStem;

    public ProductIndex(ProductCatalog catalog)
    {
        _entries = catalog.Entries;
        using (var writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer)))
        {
            foreach (var entry in _entries)
            {
                var described = catalog.Describe(entry);
                writer.AddDocument(new Document
                {
                    new StringField(CodeField, entry.Code, Field.Store.NO),
                    new TextField(OwnField, entry.Description, Field.Store.NO),
                    new TextField(ContextField, $"{described.Heading?.Description} {(entry.Level > 2 ? described.Chapter.Description : "")}", Field.Store.NO),
                });
            }
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader);
        _synonymsByStem = Synonyms.ToDictionary(s => string.Join(' ', Analyze(s.Key)), s => s.Value.ToList(), StringComparer.Ordinal);
    }

    /// <summary>The entries matching the query, best first; at most <paramref name="take"/>.</summary>
    public IReadOnlyList<HsEntry> Search(string query, int take)
    {
        var words = query.Split([' ', '\t', ',', ';', '/'], StringSplitOptions.RemoveEmptyEntries);
        var clauses = words.Select(Clause).OfType<Query>().ToList();
        if (clauses.Count == 0 || take <= 0) return [];

        var all = new BooleanQuery();
        foreach (var clause in clauses) all.Add(clause, Occur.MUST);
        var hits = _searcher.Search(all, take).ScoreDocs;
        if (hits.Length == 0 && clauses.Count > 1)
        {
            // No product has every word: rank by how many (and which) words match instead of answering nothing.
            var any = new BooleanQuery();
            foreach (var clause in clauses) any.Add(clause, Occur.SHOULD);
            hits = _searcher.Search(any, take).ScoreDocs;
        }
        return [.. hits.Select(h => _entries[h.Doc])];
    }

    /// <summary>One query word: a code (digits, dots ignored) or the analysed terms of a word with its synonyms.</summary>
    private BooleanQuery? Clause(string word)
    {
        var digits = word.Replace(".", "", StringComparison.Ordinal);
        if (digits.Length >= 2 && digits.All(char.IsAsciiDigit)) return CodeClause(digits);

        var terms = Analyze(word);
        if (terms.Count == 0) return null;   // a stop word ("of", "and") carries no meaning of its own
        var clause = new BooleanQuery { { AllOf(terms), Occur.SHOULD } };
        if (_synonymsByStem.TryGetValue(string.Join(' ', terms), out var synonyms))
        {
            foreach (var synonym in synonyms) clause.Add(AllOf(Analyze(synonym)), Occur.SHOULD);
        }
        return clause;
    }

    /// <summary>The code itself first, then its subdivisions; longer national codes also match their 6- and 4-digit parents.</summary>
    private static BooleanQuery CodeClause(string digits)
    {
        var clause = new BooleanQuery
        {
            { new TermQuery(new Term(CodeField, digits)) { Boost = 10 }, Occur.SHOULD },
            { new PrefixQuery(new Term(CodeField, digits)), Occur.SHOULD },
        };
        foreach (var length in (int[])[6, 4])
        {
            if (digits.Length > length) clause.Add(new TermQuery(new Term(CodeField, digits[..length])) { Boost = length }, Occur.SHOULD);
        }
        return clause;
    }

    /// <summary>Every term must appear, each in the product's own text (weighted 4) or its heading's and chapter's.</summary>
    private static BooleanQuery AllOf(IReadOnlyList<string> terms)
    {
        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            query.Add(new BooleanQuery
            {
                { new TermQuery(new Term(OwnField, term)) { Boost = 4 }, Occur.SHOULD },
                { new TermQuery(new Term(ContextField, term)), Occur.SHOULD },
            }, Occur.MUST);
        }
        return query;
    }

    private List<string> Analyze(string text)
    {
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream(OwnField, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }
}
