using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>A real server that trusts a JWT issuer whose keys the tests mint; lookups stay open.</summary>
public class AdminFixture : ServerFixture
{
    public TestCredentials Credentials { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> ServerSettings =>
        [.. Credentials.ServerSettings(), new("ChangeFeed:SendTimeout", "00:00:02")];

    public PolicyAdminService.PolicyAdminServiceClient Admin => new(Server.Channel);

    public ChangeFeedService.ChangeFeedServiceClient Feed => new(Server.Channel);

    public Metadata Editor(string subject = "analyst-1") => TestCredentials.Bearer(Credentials.Token(subject, [TestCredentials.Editor]));

    public Metadata Reader(string subject = "reader-1") => TestCredentials.Bearer(Credentials.Token(subject, [TestCredentials.Reader]));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Credentials.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The admin server on the SQL Server in POLICYSERVICE_TEST_SQLSERVER.</summary>
public sealed class SqlServerAdminFixture : AdminFixture
{
    public override StorageProvider Provider => StorageProvider.SqlServer;
}

/// <summary>Test records: a US duty on Chinese toys (HS 9503), with a source of its own.</summary>
internal static class TestRecords
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24].ToUpperInvariant();

    public static TariffMeasure ToyDuty(string id, string rate = "15", string start = "2025-01-01") => new()
    {
        Id = id,
        Importer = "US",
        Origins = { "CN" },
        Title = $"Test duty {id}",
        Kind = TariffKind.Other,
        ProductScope = new ProductScope { HsPrefixes = { "9503" }, Description = "toys" },
        LegalInstrument = "Test notice",
        Confidence = Confidence.Reported,
        Sources = { new Source { Id = "S-TEST-TOYS", Title = "Test notice on toys", Urls = { "https://example.test/toys" } } },
        Periods =
        {
            new TariffPeriod
            {
                RecordId = id, StartDate = Date(start), Status = PeriodStatus.InForce, AdValoremPercent = rate,
                LegalInstrument = "Test notice", Confidence = Confidence.Reported,
            },
        },
    };

    public static async Task<TariffMeasure> CreateAsync(AdminFixture fixture, TariffMeasure measure) =>
        (await fixture.Admin.CreateTariffMeasureAsync(new CreateTariffMeasureRequest { TariffMeasure = measure, Reason = "test setup" },
            fixture.Editor(), Deadline)).TariffMeasure;
}
