using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PolicyService.Deploy.Tests.Tooling;

/// <summary>
/// The links and headings of a Markdown page, read as GitHub renders it: nothing inside a fenced block or a code span
/// is a link or a heading, and a heading's anchor is its text lower-cased, punctuation dropped, spaces as hyphens.
/// </summary>
internal static partial class MarkdownLinks
{
    internal sealed record Link(int Line, string Target);

    /// <summary>Inline links and images (<c>[text](target)</c>, <c>[text](target "title")</c>), with their line numbers.</summary>
    public static IReadOnlyList<Link> Links(string markdown)
    {
        var prose = WithoutCode(markdown);
        return InlineLink().Matches(prose)
            .Select(m => new Link(LineOf(prose, m.Index), m.Groups["target"].Value.Trim('<', '>')))
            .ToList();
    }

    /// <summary>The anchors of the page's headings; a repeated heading's anchor gets -1, -2, … as on GitHub.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in WithoutFences(markdown).Split('\n'))
        {
            var heading = Heading().Match(line);
            if (!heading.Success) continue;
            var slug = Slug(heading.Groups["text"].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++) unique = $"{slug}-{n.ToString(CultureInfo.InvariantCulture)}";
        }
        return anchors;
    }

    /// <summary>GitHub's anchor for a heading: links keep their text, code spans their content, other punctuation goes.</summary>
    public static string Slug(string headingText)
    {
        var text = InlineLink().Replace(headingText, m => m.Groups["text"].Value).Trim().ToLowerInvariant();
        var slug = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == ' ') slug.Append('-');
            else if (c == '-' || c == '_' || char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark) slug.Append(c);
        }
        return slug.ToString();
    }

    /// <summary>
    /// Every link of <paramref name="page"/> that names a missing file or folder, a path outside the repository, or a
    /// heading its target page lacks, as "page:line: target: why". Links with a scheme (https:, mailto:) are not checked.
    /// </summary>
    public static IReadOnlyList<string> BrokenLinks(string page, string repositoryRoot)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var broken = new List<string>();
        var name = Path.GetRelativePath(root, page).Replace('\\', '/');
        foreach (var link in Links(File.ReadAllText(page)))
        {
            if (Scheme().IsMatch(link.Target)) continue;
            var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
            var path = Uri.UnescapeDataString(hash < 0 ? link.Target : link.Target[..hash]);
            var anchor = hash < 0 ? "" : Uri.UnescapeDataString(link.Target[(hash + 1)..]);
            var target = path.Length == 0 ? Path.GetFullPath(page) : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, path));
            var problem = Problem(root, target, anchor);
            if (problem is not null) broken.Add($"{name}:{link.Line.ToString(CultureInfo.InvariantCulture)}: {link.Target}: {problem}");
        }
        return broken;
    }

    private static string? Problem(string root, string target, string anchor)
    {
        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && target != root)
            return "outside the repository, so it does not resolve where the page is read";
        if (!File.Exists(target)) return Directory.Exists(target) && anchor.Length == 0 ? null : "no such file";
        if (anchor.Length == 0 || !target.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) return null;
        return Anchors(File.ReadAllText(target)).Contains(anchor) ? null : $"no heading with the anchor #{anchor} there";
    }

    /// <summary>The page with fenced blocks and code spans blanked out, so their text is neither link nor heading.</summary>
    private static string WithoutCode(string markdown) =>
        CodeSpan().Replace(WithoutFences(markdown), m => new string(m.Value.Select(c => c == '\n' ? '\n' : ' ').ToArray()));

    /// <summary>The page with every line of a fenced block (its fences included) emptied; line numbers stay.</summary>
    private static string WithoutFences(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var opening = Fence().Match(lines[i]);
            if (fence is null && opening.Success) fence = opening.Groups["fence"].Value;
            else if (fence is not null && opening.Success && opening.Groups["fence"].Value.StartsWith(fence, StringComparison.Ordinal)
                     && opening.Groups["info"].Value.Trim().Length == 0) fence = null;
            else if (fence is null) continue;
            lines[i] = "";
        }
        return string.Join('\n', lines);
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target><[^>]*>|[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex Fence();

    // A code span ends at the same run of backticks, within its paragraph: a stray backtick blanks no more than that.
    [GeneratedRegex(@"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n)[\s\S])*?(?<!`)\1(?!`)")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<text>.*?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();
}
