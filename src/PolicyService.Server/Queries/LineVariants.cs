namespace PolicyService.Server.Queries;

/// <summary>
/// The answer for some of the lines under a less specific code: those under one of <paramref name="HsPrefixes"/> (and
/// under no longer prefix the data names), or with <paramref name="OtherLines"/> also every line under the code that no
/// more specific prefix of the data names, whose answer is the code's own.
/// </summary>
/// <param name="HsPrefixes">The more specific prefixes whose lines answer so, in ascending order; for the other lines, those that answer like them.</param>
public sealed record LineVariant<TAnswer>(IReadOnlyList<string> HsPrefixes, bool OtherLines, TAnswer Answer);

/// <summary>
/// Groups the lines under a less specific code by their answers, for duty lookups and export checks alike. Every line
/// under the code belongs to its longest prefix that the data names (or to none: the other lines), so answering each
/// such prefix as if it were the code answers every line exactly once.
/// </summary>
public static class LineVariants
{
    /// <summary>
    /// The distinct answers of the lines under the code: one per group of prefixes that answer alike, in the order of
    /// their first prefix, then the other lines (with the prefixes that answer like them). Empty when every prefix
    /// answers like the code itself, so that a caller can answer as for a code with nothing under it.
    /// </summary>
    /// <param name="own">The code's own answer: that of the lines no longer prefix names.</param>
    /// <param name="prefixesUnder">The data's prefixes under the code, in ascending order.</param>
    public static IReadOnlyList<LineVariant<TAnswer>> Group<TAnswer>(
        TAnswer own, IEnumerable<string> prefixesUnder, Func<string, TAnswer> resolve, Func<TAnswer, TAnswer, bool> alike)
    {
        var likeOwn = new List<string>();
        var groups = new List<(List<string> Prefixes, TAnswer Answer)>();
        foreach (var prefix in prefixesUnder)
        {
            var answer = resolve(prefix);
            if (alike(answer, own))
            {
                likeOwn.Add(prefix);
                continue;
            }
            var at = groups.FindIndex(g => alike(g.Answer, answer));
            if (at >= 0) groups[at].Prefixes.Add(prefix);
            else groups.Add(([prefix], answer));
        }
        if (groups.Count == 0) return [];
        return [.. groups.Select(g => new LineVariant<TAnswer>(g.Prefixes, false, g.Answer)), new LineVariant<TAnswer>(likeOwn, true, own)];
    }

    /// <summary>The entries of the first answer's list that every other answer's list has too, in the first answer's order.</summary>
    public static IReadOnlyList<T> Shared<TAnswer, T>(IReadOnlyList<TAnswer> answers, Func<TAnswer, IReadOnlyList<T>> list, Func<T, T, bool> same) =>
        [.. list(answers[0]).Where(entry => answers.Skip(1).All(other => list(other).Any(o => same(entry, o))))];

    /// <summary>Two answers' variants are the same when each pair has the same prefixes and answers alike.</summary>
    public static bool SameVariants<TAnswer>(IReadOnlyList<LineVariant<TAnswer>> a, IReadOnlyList<LineVariant<TAnswer>> b, Func<TAnswer, TAnswer, bool> alike) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.OtherLines == p.Second.OtherLines
            && p.First.HsPrefixes.SequenceEqual(p.Second.HsPrefixes, StringComparer.Ordinal) && alike(p.First.Answer, p.Second.Answer));
}
