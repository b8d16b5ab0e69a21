using PolicyService.Deploy.Tests.Tooling;

namespace PolicyService.Deploy.Tests;

/// <summary>Theory data: every directory under deploy/overlays.</summary>
public static class OverlayData
{
    public static TheoryData<string> All => new(Repository.Overlays);
}
