namespace PolicyService.Server.Domain;

/// <summary>A truce with the measures its terms created: what a truce status lookup needs.</summary>
public sealed record TruceBundle(Truce Truce, IReadOnlyList<TariffMeasure> TariffMeasures, IReadOnlyList<ExportControl> ExportControls);
