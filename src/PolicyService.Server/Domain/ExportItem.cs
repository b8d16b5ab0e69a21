namespace PolicyService.Server.Domain;

/// <summary>What an export check asks about: an HS code or a named item ("gallium").</summary>
public sealed record ExportItem(string? HsCode, string? Name)
{
    public string Display => HsCode ?? Name!;
}
