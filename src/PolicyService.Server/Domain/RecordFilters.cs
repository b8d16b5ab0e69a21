namespace PolicyService.Server.Domain;

// The typed filters of the List RPCs; a null member does not filter.

public sealed record TariffFilter(string? Importer, string? Origin, string? HsCode, DateOnly? AsOf);

public sealed record ExportFilter(string? Exporter, string? Destination, ExportItem? Item, DateOnly? AsOf);

public sealed record TruceFilter(string? Party, DateOnly? AsOf);
