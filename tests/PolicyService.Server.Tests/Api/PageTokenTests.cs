using PolicyService.Server.Domain;
using PolicyService.Server.Api;

namespace PolicyService.Server.Tests.Api;

public class PageTokenTests
{
    [Fact]
    public void A_token_round_trips_with_the_same_filters()
    {
        var validation = new RequestValidation();
        var token = PageToken.Create("TAR-US-14", "importer=US");
        Assert.Equal("TAR-US-14", PageToken.Read(token, "importer=US", validation));
        validation.ThrowIfInvalid();
    }

    [Fact]
    public void An_empty_token_starts_at_the_beginning() =>
        Assert.Equal("", PageToken.Read("", "x", new RequestValidation()));

    [Theory]
    [InlineData("not a token!")]
    [InlineData("djEKVEFSLVVTLTE0CjAwMDAwMDAwMDAwMDAwMDAKMDAwMDAwMDAwMDAwMDAwMA")] // well-formed, wrong checksum
    [InlineData("djIKVEFSLVVTLTE0")]   // "v2\nTAR-US-14": this version, but two parts instead of four
    public void A_forged_token_is_rejected_on_page_token(string token)
    {
        var validation = new RequestValidation();
        Assert.Equal("", PageToken.Read(token, "importer=US", validation));
        var error = Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid);
        Assert.Equal("page_token", Assert.Single(error.Violations).Field);
        Assert.Equal("is not a token this service issued", error.Violations[0].Description);
    }

    [Fact]
    public void A_token_with_one_character_changed_is_rejected()
    {
        var token = PageToken.Create("TAR-US-14", "importer=US").ToCharArray();
        token[5] = token[5] == 'A' ? 'B' : 'A';
        var validation = new RequestValidation();
        PageToken.Read(new string(token), "importer=US", validation);
        Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid);
    }

    [Fact]
    public void A_token_reused_with_other_filters_is_rejected()
    {
        var validation = new RequestValidation();
        Assert.Equal("", PageToken.Read(PageToken.Create("TAR-US-14", "importer=US"), "importer=CN", validation));
        var error = Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid);
        Assert.Contains("different filters", error.Violations[0].Description, StringComparison.Ordinal);
    }

    // Tokens issued by a running service must stay valid across releases: the binding is spelled out field by field
    // under its own version, never derived from C# names (a renamed record member would otherwise void every token).
    [Fact]
    public void Page_tokens_are_bound_to_an_explicit_versioned_text_of_the_filters()
    {
        var knownAt = new DateTime(2025, 11, 15, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal($"tariffs.v1\u001f{knownAt.Ticks}\u001fUS\u001fCN\u001f8507600020\u001f2025-11-15",
            ReadContext.Fingerprint(new TariffFilter("US", "CN", "8507600020", new DateOnly(2025, 11, 15)), knownAt));
        Assert.Equal($"export-controls.v1\u001f{knownAt.Ticks}\u001fCN\u001f\u0000\u001f\u0000\u001fgallium\u001f\u0000",
            ReadContext.Fingerprint(new ExportFilter("CN", null, new ExportItem(null, "gallium"), null), knownAt));
        Assert.Equal($"truces.v1\u001f{knownAt.Ticks}\u001fUS\u001f2026-01-01",
            ReadContext.Fingerprint(new TruceFilter("US", new DateOnly(2026, 1, 1)), knownAt));
    }

    [Fact]
    public void Filters_that_differ_in_any_field_or_in_known_at_bind_different_tokens()
    {
        var at = DateTime.MaxValue;
        var fingerprints = new[]
        {
            ReadContext.Fingerprint(new TariffFilter("US", null, null, null), at),
            ReadContext.Fingerprint(new TariffFilter(null, "US", null, null), at),
            ReadContext.Fingerprint(new TariffFilter("US", null, "85076000", null), at),
            ReadContext.Fingerprint(new TariffFilter("US", null, null, new DateOnly(2025, 1, 1)), at),
            ReadContext.Fingerprint(new TariffFilter("US", null, null, null), at.AddTicks(-1)),
            ReadContext.Fingerprint(new ExportFilter("US", null, null, null), at),
            ReadContext.Fingerprint(new TruceFilter("US", null), at),
        };
        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
    }

    public static TheoryData<string> Lists() => ["tariffs", "export-controls", "truces"];

    private static string Binding(string list, DateTime knownAt) => list switch
    {
        "tariffs" => ReadContext.Fingerprint(new TariffFilter("US", "CN", null, new DateOnly(2025, 11, 15)), knownAt),
        "export-controls" => ReadContext.Fingerprint(new ExportFilter("CN", "US", new ExportItem(null, "gallium"), null), knownAt),
        _ => ReadContext.Fingerprint(new TruceFilter("CN", null), knownAt),
    };

    // known_at is part of what a page means: a token of a list as known at one instant continues no other instant's list.
    [Theory]
    [MemberData(nameof(Lists))]
    public void A_token_issued_as_known_at_one_instant_is_refused_at_another(string list)
    {
        var then = new DateTime(2026, 7, 1, 9, 0, 0, DateTimeKind.Utc);
        var token = PageToken.Create("REC-05", Binding(list, then));

        var same = new RequestValidation();
        Assert.Equal("REC-05", PageToken.Read(token, Binding(list, then), same));
        same.ThrowIfInvalid();

        foreach (var other in new[] { then.AddTicks(1), then.AddTicks(-1), DateTime.MaxValue })
        {
            var v = new RequestValidation();
            PageToken.Read(token, Binding(list, other), v);
            Assert.Equal("page_token", Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations).Field);
        }
    }
}
