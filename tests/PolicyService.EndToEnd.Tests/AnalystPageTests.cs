using PuppeteerSharp;

namespace PolicyService.EndToEnd.Tests;

/// <summary>Debian's chromium, found on PATH (or at POLICYSERVICE_TEST_CHROMIUM); the tests never download a browser.</summary>
internal static class Chromium
{
    public const string Variable = "POLICYSERVICE_TEST_CHROMIUM";

    public static string? ExecutablePath { get; } = Find();

    public static string SkipReason =>
        $"No chromium here (looked for {Variable}, then chromium and chromium-browser on PATH): install Debian's chromium package, as .ci/run does, to drive the analysts' page.";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured) return File.Exists(configured) ? configured : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => new[] { Path.Combine(dir, "chromium"), Path.Combine(dir, "chromium-browser") })
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>The analysts' page at "/" on the JSON port, driven in headless chromium as a person would use it.</summary>
public class AnalystPageTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>, IAsyncLifetime
{
    private IBrowser? _browser;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (Chromium.ExecutablePath is not { } executable) return;
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // Root in CI has no user namespace sandbox to offer; /dev/shm in containers is too small for chromium's default.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_browser is not null) await _browser.DisposeAsync();
    }

    private async Task<IPage> OpenAsync(string pathAndQuery, int width = 1280, int height = 1000, Func<IPage, Task>? beforeLoad = null)
    {
        Assert.SkipWhen(_browser is null, Chromium.SkipReason);
        var page = await _browser!.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        if (beforeLoad is not null) await beforeLoad(page);
        var response = await page.GoToAsync(new Uri(fixture.Http.BaseAddress!, pathAndQuery).ToString(), WaitUntilNavigation.Load);
        Assert.True(response.Ok, $"{pathAndQuery}: HTTP {(int)response.Status}");
        return page;
    }

    /// <summary>Saves what the page shows under TestResults/screenshots (CI keeps the results folder) and attaches it to the test.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "TestResults", "screenshots"); // tests/test.runsettings' results directory
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{name}.png");
        await page.ScreenshotAsync(file, new ScreenshotOptions { FullPage = true });
        TestContext.Current.AddAttachment(name, await File.ReadAllBytesAsync(file, Ct), "image/png");
        TestContext.Current.SendDiagnosticMessage($"screenshot: {file}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyService.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("PolicyService.sln not found above " + AppContext.BaseDirectory);
    }

    private static Task<T> Eval<T>(IPage page, string expression) => page.EvaluateExpressionAsync<T>(expression);

    [Fact]
    public async Task A_deep_link_opens_that_answer_with_its_total_layers_timeline_export_and_truce()
    {
        await using var page = await OpenAsync("/?importer=US&origin=CN&hs=8507.60.00.20&on=2025-11-15");

        await page.WaitForFunctionAsync("() => document.querySelector('#total').textContent === '27.5' && !document.querySelector('#timeline').hidden && !document.querySelector('#truce').hidden && !document.querySelector('#export').hidden");

        Assert.Equal("27.5", await Eval<string>(page, "document.querySelector('#total').textContent"));
        Assert.Equal(["TAR-US-04", "TAR-US-14", "TAR-US-17"],   // Li-ion batteries pay the reciprocal duty (Seed/README.md)
            await Eval<string[]>(page, "[...document.querySelectorAll('#layers tbody tr')].map(r => r.cells[0].textContent)"));
        Assert.Equal("8507.60.00.20", await Eval<string>(page, "document.querySelector('#hs').value"));
        // The chart is drawn, and the cliffs table lists 10 November 2025, when the total fell from 37.5 to 27.5.
        Assert.True(await Eval<bool>(page, "document.querySelector('#chart canvas') !== null"));
        Assert.Contains(["2025-11-10", "27.5", "37.5"],
            await Eval<string[][]>(page, "[...document.querySelectorAll('#cliffs tbody tr')].map(r => [...r.cells].slice(0, 3).map(c => c.textContent))"));
        Assert.StartsWith("Licence required: gallium from CN to US", await Eval<string>(page, "document.querySelector('#export-verdict').textContent"), StringComparison.Ordinal);
        Assert.Contains("Expires 2026-11-10: 360 days after 2025-11-15", await Eval<string>(page, "document.querySelector('#truce-status').textContent"), StringComparison.Ordinal);
        Assert.True(await Eval<bool>(page, "document.querySelector('#error').hidden"));
        Assert.Contains("MFN base rates are not in the data", await Eval<string>(page, "document.querySelector('#coverage').textContent"), StringComparison.Ordinal);

        await SaveScreenshotAsync(page, "analyst-page-deep-link");
    }

    [Fact]
    public async Task A_request_the_data_does_not_cover_says_so_instead_of_showing_a_bare_zero()
    {
        await using var page = await OpenAsync("/?importer=US&origin=VN&hs=8507.60.00.20&on=2025-11-15");

        await page.WaitForFunctionAsync("() => document.querySelector('#total').textContent === '0' && !document.querySelector('#duty').hidden");

        Assert.StartsWith("None held: the data does not cover this request",
            await Eval<string>(page, "document.querySelector('#layers tbody tr').cells[0].textContent"), StringComparison.Ordinal);
        Assert.StartsWith("Not covered: origin-specific US measures for VN.",
            await Eval<string>(page, "document.querySelector('#coverage').textContent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_code_typed_and_submitted_shows_the_fields_error_message_not_a_blank_page()
    {
        await using var page = await OpenAsync("/", width: 390, height: 844); // a phone

        // Keyboard only: focus the code, type, press Enter to submit.
        await page.FocusAsync("#hs");
        await page.Keyboard.TypeAsync("85");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => !document.querySelector('#error').hidden");

        Assert.Contains("\"85\" is not an HS code", await Eval<string>(page, "document.querySelector('#hs-error').textContent"), StringComparison.Ordinal);
        Assert.Equal("true", await Eval<string>(page, "document.querySelector('#hs').getAttribute('aria-invalid')"));
        Assert.Contains("hs_code:", await Eval<string>(page, "document.querySelector('#error').textContent"), StringComparison.Ordinal);
        Assert.True(await Eval<bool>(page, "document.querySelector('#duty').hidden"));
        // The link to share now carries the question as asked.
        Assert.Contains("hs=85", await Eval<string>(page, "location.search"), StringComparison.Ordinal);
        // Readable on a phone: nothing wider than the screen but the tables' own scroll boxes.
        Assert.True(await Eval<bool>(page, "document.documentElement.scrollWidth <= window.innerWidth"));

        await SaveScreenshotAsync(page, "analyst-page-bad-code");
    }

    [Fact]
    public async Task Words_typed_as_the_product_offer_matching_HS_codes()
    {
        await using var page = await OpenAsync("/");

        await page.FocusAsync("#hs");
        await page.Keyboard.TypeAsync("lithium-ion batteries");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#hs-options option').length > 0");

        Assert.Equal("850760", await Eval<string>(page, "document.querySelector('#hs-options option').value"));
    }

    [Fact]
    public async Task Every_input_has_a_label_and_the_vendored_chart_library_carries_its_licence()
    {
        await using var page = await OpenAsync("/");

        Assert.Equal(0, await Eval<int>(page, "[...document.querySelectorAll('input')].filter(i => !document.querySelector(`label[for='${i.id}']`)).length"));
        using var licence = await fixture.Http.GetAsync("/vendor/uplot/LICENSE.txt", Ct);
        Assert.Contains("MIT License", await licence.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/app.css")]
    [InlineData("/vendor/uplot/uPlot.iife.min.js")]
    public async Task The_page_and_its_assets_carry_the_security_headers(string path)
    {
        using var response = await fixture.Http.GetAsync(path, Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_page_answers_under_its_content_security_policy_without_a_violation()
    {
        // Every violation the browser reports (a blocked inline script or style, a fetch elsewhere) is kept for the test.
        await using var page = await OpenAsync("/?importer=US&origin=CN&hs=8507.60.00.20&on=2025-11-15", beforeLoad: p => p.EvaluateExpressionOnNewDocumentAsync(
            "window.violations = []; document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));"));

        await page.WaitForFunctionAsync("() => document.querySelector('#total').textContent === '27.5' && !document.querySelector('#timeline').hidden && !document.querySelector('#truce').hidden && !document.querySelector('#export').hidden");

        Assert.True(await Eval<bool>(page, "document.querySelector('#chart canvas') !== null"));
        Assert.Empty(await Eval<string[]>(page, "window.violations"));
        Assert.Equal(0, await Eval<int>(page, "document.querySelectorAll('script:not([src]), style, [style]:not(#chart *)').length"));
    }

    [Fact]
    public async Task An_announced_measure_says_when_it_would_take_effect()
    {
        await using var page = await OpenAsync("/?importer=US&origin=CN&hs=8507.60.00.20&on=2025-11-15");

        await page.WaitForFunctionAsync("() => document.querySelector('#duty-notes li') !== null");

        // Announced with the four-year review on 2024-09-13; the 25% applies from 2026-01-01 (Seed/us-china-2025.json).
        Assert.Contains("Announced, not in force: TAR-US-06.2 at 25%, would take effect 2026-01-01 (announced 2024-09-13).",
            await Eval<string[]>(page, "[...document.querySelectorAll('#duty-notes li')].map(li => li.textContent)"));
    }

    [Fact]
    public async Task A_source_url_that_is_not_a_web_url_is_shown_as_text_not_a_link()
    {
        // An answer as a database written before write-time checking could still hold: the page must not make it an href.
        const string answer = """
            {"importer":"US","origin":"CN","hsCode":"8507600020","asOf":{"year":2025,"month":11,"day":15},"totalAdValoremPercent":"25",
             "layers":[{"measureId":"TAR-X","kind":"TARIFF_KIND_OTHER","adValoremPercent":"25","legalInstrument":"X",
               "sources":[{"id":"S-SCRIPT","title":"t","urls":["javascript:alert(1)"]},{"id":"S-WEB","title":"t","urls":["https://example.test/notice"]}]}],
             "coverage":{"covered":true,"reviewedThrough":{"year":2026,"month":10,"day":8}}}
            """;
        await using var page = await OpenAsync("/?importer=US&origin=CN&hs=8507.60.00.20&on=2025-11-15", beforeLoad: async p =>
        {
            await p.SetRequestInterceptionAsync(true);
            p.Request += async (_, e) =>
            {
                if (e.Request.Url.EndsWith("/v1/duty:lookup", StringComparison.Ordinal))
                    await e.Request.RespondAsync(new ResponseData { Status = System.Net.HttpStatusCode.OK, ContentType = "application/json", Body = answer });
                else await e.Request.ContinueAsync();
            };
        });

        await page.WaitForFunctionAsync("() => document.querySelector('#total').textContent === '25'");

        Assert.Equal(["https://example.test/notice"], await Eval<string[]>(page, "[...document.querySelectorAll('#layers a')].map(a => a.href)"));
        Assert.Equal("S-SCRIPT", await Eval<string>(page, "document.querySelector('#layers abbr').textContent"));
    }
}
