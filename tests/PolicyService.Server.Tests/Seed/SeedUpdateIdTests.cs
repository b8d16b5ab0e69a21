using PolicyService.Server.Seed;

namespace PolicyService.Server.Tests.Seed;

/// <summary>Start-up skips an applied document by the request id it reads without parsing the document: it must be the document's own.</summary>
public class SeedUpdateIdTests
{
    public static TheoryData<string> Documents => [.. SeedUpdates.ResourceNames];

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_quickly_read_request_id_is_the_one_the_document_is_applied_under(string resource)
    {
        var id = SeedUpdates.RequestIdOf(resource);
        Assert.StartsWith("seed:", id, StringComparison.Ordinal);
        Assert.Equal(SeedUpdates.Load(resource).RequestId, id);
    }
}
