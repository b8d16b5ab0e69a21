using System.Text.RegularExpressions;
using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

/// <summary>
/// The README is the front door and docs/ the rooms behind it: every relative link of those pages must reach a file of
/// the repository and, where it names a heading, a heading that page has, so that edits elsewhere cannot leave a
/// reader at a dead end.
/// </summary>
public partial class DocumentationLinkTests
{
    /// <summary>README.md and every page of docs/, as paths from the repository root.</summary>
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var page in Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(Repository.Root, page).Replace('\\', '/'));
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_reaches_a_file_of_the_repository_and_the_heading_it_names(string page)
    {
        var broken = MarkdownLinks.BrokenLinks(Path.Combine(Repository.Root, page), Repository.Root);

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void Every_page_of_docs_is_linked_from_the_readme()
    {
        var readme = Path.Combine(Repository.Root, "README.md");
        var linked = MarkdownLinks.Links(File.ReadAllText(readme))
            .Select(l => l.Target.Split('#')[0])
            .Where(t => t.Length > 0)
            .Select(t => Path.GetFullPath(Path.Combine(Repository.Root, t)))
            .ToHashSet(StringComparer.Ordinal);

        var docs = Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md");
        Assert.NotEmpty(docs);
        Assert.All(docs, page => Assert.Contains(Path.GetFullPath(page), linked));
    }

    [Fact]
    public void The_readme_stays_a_front_door_of_at_most_300_lines()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "README.md")).Length;

        Assert.True(lines <= 300, $"README.md has {lines} lines: move the depth into a page of docs/ and link it.");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void No_page_refers_to_work_items_instead_of_saying_what_a_thing_is_about(string page)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, page));

        var references = WorkItemReference().Matches(text).Select(m => m.Value).ToList();
        Assert.True(references.Count == 0, $"{page} mentions {string.Join(", ", references)}");
    }

    [Fact]
    public void A_missing_file_a_missing_heading_and_a_path_outside_the_repository_are_each_reported()
    {
        var root = Directory.CreateTempSubdirectory("doc-links-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllText(Path.Combine(root, "docs", "api.md"), "# The API\n\n## The analysts' page\n\n## Errors: `INVALID_ARGUMENT`\n");
            File.WriteAllText(Path.Combine(root, "README.md"), string.Join('\n',
                "# Front",
                "[ok](docs/api.md) [ok](docs/api.md#the-analysts-page) [ok](docs/api.md#errors-invalid_argument) [ok](#front)",
                "[folder](docs/) [web](https://example.com/missing.md) ![image](docs/api.md)",
                "[gone](docs/missing.md) [no heading](docs/api.md#limits)",
                "[outside](../elsewhere/README.md) [self](#nowhere)",
                "`[in a code span](docs/missing.md)`",
                "```md",
                "[in a fence](docs/missing.md)",
                "```"));

            var broken = MarkdownLinks.BrokenLinks(Path.Combine(root, "README.md"), root);

            Assert.Equal(
                new[]
                {
                    "README.md:4: docs/missing.md: no such file",
                    "README.md:4: docs/api.md#limits: no heading with the anchor #limits there",
                    "README.md:5: ../elsewhere/README.md: outside the repository, so it does not resolve where the page is read",
                    "README.md:5: #nowhere: no heading with the anchor #nowhere there",
                },
                broken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("The analysts' page", "the-analysts-page")]
    [InlineData("Scenarios: what if", "scenarios-what-if")]
    [InlineData("Running the whole suite against SQL Server or Azure SQL", "running-the-whole-suite-against-sql-server-or-azure-sql")]
    [InlineData("The product lists and the audit: `us-product-lists.changes.json`, `x.json`", "the-product-lists-and-the-audit-us-product-listschangesjson-xjson")]
    [InlineData("Stop — then go", "stop--then-go")]
    [InlineData("[Linked](https://example.com) title", "linked-title")]
    public void Anchors_are_made_from_headings_as_github_makes_them(string heading, string anchor)
    {
        Assert.Equal(anchor, MarkdownLinks.Slug(heading));
    }

    [Fact]
    public void A_repeated_heading_gets_a_numbered_anchor_and_a_heading_inside_a_fence_none()
    {
        var anchors = MarkdownLinks.Anchors("# Notes\n\n## Notes\n\n```sh\n# not a heading\n```\n\n### Notes ###\n");

        Assert.Equal(new[] { "notes", "notes-1", "notes-2" }, anchors.Order(StringComparer.Ordinal));
    }

    /// <summary>The word "issue" or "issues" followed by a number: a pointer into a tracker that a reader of the page has not got.</summary>
    [GeneratedRegex(@"\bissues? #?\d+", RegexOptions.IgnoreCase)]
    private static partial Regex WorkItemReference();
}
