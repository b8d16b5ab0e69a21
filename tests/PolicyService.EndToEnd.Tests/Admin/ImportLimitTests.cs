using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>ImportChanges has a limit of its own (Limits:ImportMessageBytes, 32 MiB), above Kestrel's default 30 MB body limit.</summary>
public class ImportLimitTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private const int MiB = 1024 * 1024;

    /// <summary>An import of one measure whose notes make it about <paramref name="mebibytes"/> MiB on the wire.</summary>
    private static ImportChangesRequest ImportOf(int mebibytes, string title)
    {
        var measure = TestRecords.ToyDuty(TestRecords.NewId("BIG"));
        measure.Title = title;
        measure.Notes = new string('n', mebibytes * MiB);
        return new ImportChangesRequest { RequestId = Guid.NewGuid().ToString(), Reason = "size test", Changes = { new PolicyChange { CreateTariffMeasure = measure } } };
    }

    private async Task<RpcException> ImportFailsAsync(ImportChangesRequest request)
    {
        using var call = fixture.Admin.ImportChanges(request, fixture.Editor(), DateTime.UtcNow.AddSeconds(60));
        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
            {
            }
        });
    }

    [Fact]
    public async Task An_import_over_the_import_limit_is_resource_exhausted_naming_the_limit()
    {
        var e = await ImportFailsAsync(ImportOf(33, "too big"));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("MESSAGE_TOO_LARGE", e.ErrorInfo()?.Reason);
        Assert.Equal("Limits:ImportMessageBytes", e.ErrorInfo()?.Metadata["limit_name"]);
        Assert.Equal((32 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture), e.ErrorInfo()?.Metadata["limit_bytes"]);
        Assert.Contains("split", e.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_import_above_kestrels_default_body_limit_but_within_its_own_is_read_and_validated()
    {
        // 31 MiB: Kestrel alone would refuse it ("Request body too large"); here it is read, and its empty title is named.
        var e = await ImportFailsAsync(ImportOf(31, ""));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("changes[0].create_tariff_measure.title", e.ViolatedFields());
    }
}
