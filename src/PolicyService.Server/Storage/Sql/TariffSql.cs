namespace PolicyService.Server.Storage;

/// <summary>The statements of tariff measures, each named after the store operation it serves.</summary>
public sealed class TariffSql(ISqlDialect dialect)
{
    internal const string Columns = """
        m.measure_id AS MeasureId, m.version AS Version, m.recorded_time AS RecordedTime, m.recorded_by AS RecordedBy,
        m.reason AS Reason, m.importer AS Importer, m.all_origins AS AllOrigins, m.origins_json AS OriginsJson,
        m.title AS Title, m.kind AS Kind, m.all_products AS AllProducts, m.scope_prefixes_json AS ScopePrefixesJson,
        m.excluded_prefixes_json AS ExcludedPrefixesJson, m.dated_exclusions_json AS DatedExclusionsJson, m.scope_description AS ScopeDescription,
        m.scope_mapping_note AS ScopeMappingNote, m.legal_instrument AS LegalInstrument, m.confidence AS Confidence,
        m.notes AS Notes, m.source_ids_json AS SourceIdsJson, m.excluded_by_json AS ExcludedByJson,
        p.seq AS Seq, p.record_id AS RecordId, p.start_date AS StartDate, p.end_date AS EndDate, p.status AS Status,
        p.rate_bp AS RateBp, p.rate_description AS RateDescription, p.legal_instrument AS PeriodInstrument,
        p.suspended_bp AS SuspendedBp, p.suspended_until AS SuspendedUntil, p.truce_term_id AS TruceTermId,
        p.note AS PeriodNote, p.confidence AS PeriodConfidence, p.rate_basis AS RateBasis, p.conditions_json AS ConditionsJson
        """;

    internal const string WithPeriods = "FROM tariff_measure m JOIN tariff_period p ON p.measure_id = m.measure_id AND p.version = m.version";

    /// <summary>
    /// Candidates for a duty lookup, with their whole history, in one statement: index seeks on the lane (importer, and
    /// the origin or '' for all origins) and the code's own prefixes, so the work follows the measures of this lane only.
    /// Two seeks joined by UNION rather than "origin IN (@Origin, '')": with two IN lists SQLite's planner may seek on
    /// (importer, origin) alone and scan the lane. Exclusions and dates are applied by the query.
    /// </summary>
    public string FindTariffCandidates { get; } = Candidates(under: false);

    /// <summary>
    /// As <see cref="FindTariffCandidates"/>, for a code shorter than 10 digits: also the measures filed under a longer
    /// prefix that starts with the code, whose lines may answer differently. Each is one range seek per lane,
    /// @Code &lt; prefix &lt;= @CodeLast (the code padded with nines), on the same index.
    /// </summary>
    public string FindTariffCandidatesUnder { get; } = Candidates(under: true);

    private static string Candidates(bool under) => $"""
        SELECT {Columns}
        FROM (SELECT s.measure_id, s.version FROM tariff_lane_scope s
              WHERE s.importer = @Importer AND s.origin = @Origin AND s.prefix IN {KnownVersion.CodePrefixes}
              UNION
              SELECT s.measure_id, s.version FROM tariff_lane_scope s
              WHERE s.importer = @Importer AND s.origin = '' AND s.prefix IN {KnownVersion.CodePrefixes}{(under ? LanesUnder : string.Empty)}) k
        JOIN tariff_measure m ON m.measure_id = k.measure_id AND m.version = k.version
        JOIN tariff_period p ON p.measure_id = m.measure_id AND p.version = m.version
        WHERE {KnownVersion.Measure("m")}
        ORDER BY m.measure_id, p.seq
        """;

    private const string LanesUnder = """

              UNION
              SELECT s.measure_id, s.version FROM tariff_lane_scope s
              WHERE s.importer = @Importer AND s.origin = @Origin AND s.prefix > @Code AND s.prefix <= @CodeLast
              UNION
              SELECT s.measure_id, s.version FROM tariff_lane_scope s
              WHERE s.importer = @Importer AND s.origin = '' AND s.prefix > @Code AND s.prefix <= @CodeLast
        """;

    public string GetTariffMeasure { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE m.measure_id = @Id AND {KnownVersion.Measure("m")}
        ORDER BY p.seq
        """;

    /// <summary>Every version of a measure, oldest first: its full history as recorded.</summary>
    public string TariffMeasureHistory { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE m.measure_id = @Id
        ORDER BY m.version, p.seq
        """;

    /// <summary>
    /// A page of measures after @After in id order; each filter is skipped when its parameter is null. An HS code filter
    /// keeps the measures whose scope covers the code and whose exclusions do not, so every page but the last is full.
    /// </summary>
    public string ListTariffMeasures { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE {KnownVersion.Measure("m")}
          AND m.measure_id IN (
                SELECT f.measure_id FROM tariff_measure f
                WHERE f.measure_id > @After
                  AND {KnownVersion.Measure("f")}
                  AND (@Importer IS NULL OR f.importer = @Importer)
                  AND (@Origin IS NULL OR f.all_origins = 1 OR EXISTS (SELECT 1 FROM tariff_origin o
                        WHERE o.origin = @Origin AND o.measure_id = f.measure_id AND o.version = f.version))
                  AND (@P0 IS NULL OR (EXISTS (SELECT 1 FROM tariff_scope s
                        WHERE s.measure_id = f.measure_id AND s.version = f.version AND s.prefix IN {KnownVersion.CodePrefixes})
                        AND NOT {KnownVersion.Excluded("f")}))
                  AND (@AsOf IS NULL OR EXISTS (SELECT 1 FROM tariff_period fp
                        WHERE fp.measure_id = f.measure_id AND fp.version = f.version
                          AND fp.start_date <= @AsOf AND (fp.end_date IS NULL OR fp.end_date > @AsOf)))
                ORDER BY f.measure_id
                {dialect.FirstRows("@Take")})
        ORDER BY m.measure_id, p.seq
        """;

    /// <summary>Every current measure with its periods, in id order: what the snapshot is built from, read as one stream.</summary>
    public string AllCurrent { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE {KnownVersion.Measure("m")}
        ORDER BY m.measure_id, p.seq
        """;

    // ---- Writes ---------------------------------------------------------------------------------

    public string CurrentVersion { get; } = "SELECT MAX(version) FROM tariff_measure WHERE measure_id = @Id";

    public string InsertMeasure { get; } = """
        INSERT INTO tariff_measure (measure_id, version, recorded_time, recorded_by, reason, importer, all_origins, origins_json,
            title, kind, all_products, scope_prefixes_json, excluded_prefixes_json, dated_exclusions_json, scope_description, scope_mapping_note,
            legal_instrument, confidence, notes, source_ids_json, excluded_by_json)
        VALUES (@MeasureId, @Version, @RecordedTime, @RecordedBy, @Reason, @Importer, @AllOrigins, @OriginsJson,
            @Title, @Kind, @AllProducts, @ScopePrefixesJson, @ExcludedPrefixesJson, @DatedExclusionsJson, @ScopeDescription, @ScopeMappingNote,
            @LegalInstrument, @Confidence, @Notes, @SourceIdsJson, @ExcludedByJson)
        """;

    public string InsertScope { get; } =
        "INSERT INTO tariff_scope (importer, prefix, measure_id, version) VALUES (@Importer, @Prefix, @MeasureId, @Version)";

    /// <summary>One row per scope key and origin ('' when the measure applies to all origins): what lookups seek on.</summary>
    public string InsertLaneScope { get; } =
        "INSERT INTO tariff_lane_scope (importer, origin, prefix, measure_id, version) VALUES (@Importer, @Origin, @Prefix, @MeasureId, @Version)";

    public string InsertOrigin { get; } =
        "INSERT INTO tariff_origin (origin, measure_id, version) VALUES (@Origin, @MeasureId, @Version)";

    public string InsertPeriod { get; } = """
        INSERT INTO tariff_period (measure_id, version, seq, record_id, start_date, end_date, status, rate_bp, rate_description,
            legal_instrument, suspended_bp, suspended_until, truce_term_id, note, confidence, rate_basis, conditions_json)
        VALUES (@MeasureId, @Version, @Seq, @RecordId, @StartDate, @EndDate, @Status, @RateBp, @RateDescription,
            @PeriodInstrument, @SuspendedBp, @SuspendedUntil, @TruceTermId, @PeriodNote, @PeriodConfidence, @RateBasis, @ConditionsJson)
        """;
}
