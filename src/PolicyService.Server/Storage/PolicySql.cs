namespace PolicyService.Server.Storage;

/// <summary>
/// Every statement the store runs, as literal SQL with parameters only. The text is shared by both databases;
/// the one difference, how a page is cut, comes from the dialect and is filled in once at start-up.
/// </summary>
public sealed class PolicySql(ISqlDialect dialect)
{
    private const string MeasureColumns = """
        m.measure_id AS MeasureId, m.importer AS Importer, m.all_origins AS AllOrigins, m.origins_json AS OriginsJson,
        m.title AS Title, m.kind AS Kind, m.all_products AS AllProducts, m.scope_prefixes_json AS ScopePrefixesJson,
        m.excluded_prefixes_json AS ExcludedPrefixesJson, m.scope_description AS ScopeDescription,
        m.scope_mapping_note AS ScopeMappingNote, m.legal_instrument AS LegalInstrument, m.confidence AS Confidence,
        m.notes AS Notes, m.source_ids_json AS SourceIdsJson, m.excluded_by_json AS ExcludedByJson,
        p.seq AS Seq, p.record_id AS RecordId, p.start_date AS StartDate, p.end_date AS EndDate, p.status AS Status,
        p.rate_bp AS RateBp, p.rate_description AS RateDescription, p.legal_instrument AS PeriodInstrument,
        p.suspended_bp AS SuspendedBp, p.suspended_until AS SuspendedUntil, p.truce_term_id AS TruceTermId,
        p.note AS PeriodNote, p.confidence AS PeriodConfidence
        """;

    private const string ControlColumns = """
        c.control_id AS ControlId, c.exporter AS Exporter, c.all_destinations AS AllDestinations,
        c.destinations_json AS DestinationsJson, c.title AS Title, c.control_type AS ControlType,
        c.all_products AS AllProducts, c.scope_prefixes_json AS ScopePrefixesJson,
        c.excluded_prefixes_json AS ExcludedPrefixesJson, c.scope_description AS ScopeDescription,
        c.scope_mapping_note AS ScopeMappingNote, c.items_json AS ItemsJson, c.rules_json AS RulesJson,
        c.legal_instrument AS LegalInstrument, c.confidence AS Confidence, c.notes AS Notes,
        c.source_ids_json AS SourceIdsJson,
        p.seq AS Seq, p.record_id AS RecordId, p.start_date AS StartDate, p.end_date AS EndDate, p.status AS Status,
        p.legal_instrument AS PeriodInstrument, p.suspended_until AS SuspendedUntil, p.truce_term_id AS TruceTermId,
        p.note AS PeriodNote, p.confidence AS PeriodConfidence
        """;

    private const string TruceColumns = """
        t.truce_id AS TruceId, t.title AS Title, t.parties_json AS PartiesJson, t.concluded_date AS ConcludedDate,
        t.effective_date AS EffectiveDate, t.confidence AS Confidence, t.notes AS Notes, t.source_ids_json AS SourceIdsJson
        """;

    private const string ExtensionColumns = """
        e.truce_id AS TruceId, e.seq AS Seq, e.record_id AS RecordId, e.start_date AS StartDate,
        e.expiry_date AS ExpiryDate, e.legal_instrument AS LegalInstrument, e.note AS Note
        """;

    private const string TermColumns = """
        tt.term_id AS TermId, tt.truce_id AS TruceId, tt.seq AS Seq, tt.committing_parties_json AS CommittingPartiesJson,
        tt.term_type AS TermType, tt.scope AS Scope, tt.description AS Description, tt.legal_instrument AS LegalInstrument,
        tt.announced_date AS AnnouncedDate, tt.effective_date AS EffectiveDate, tt.status_note AS StatusNote,
        tt.measure_ids_json AS MeasureIdsJson, tt.purchases_json AS PurchasesJson, tt.source_ids_json AS SourceIdsJson,
        tt.confidence AS Confidence
        """;

    private const string EventColumns = """
        ev.event_id AS EventId, ev.truce_id AS TruceId, ev.seq AS Seq, ev.event_date AS EventDate,
        ev.actors_json AS ActorsJson, ev.subject AS Subject, ev.description AS Description,
        ev.source_ids_json AS SourceIdsJson, ev.confidence AS Confidence
        """;

    // ---- Tariffs ------------------------------------------------------------------------------

    /// <summary>
    /// Candidates for a duty lookup, with their whole history, in one statement: an index seek on the code's own
    /// prefixes ('' and its first 2, 4, 6, 8, 10 digits) and on the origin. Exclusions and dates are applied by the query.
    /// </summary>
    public string TariffCandidates { get; } = $"""
        SELECT {MeasureColumns}
        FROM tariff_measure m
        JOIN tariff_period p ON p.measure_id = m.measure_id
        WHERE m.measure_id IN (
                SELECT s.measure_id FROM tariff_scope s
                WHERE s.importer = @Importer AND s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10))
          AND (m.all_origins = 1 OR m.measure_id IN (SELECT o.measure_id FROM tariff_origin o WHERE o.origin = @Origin))
        ORDER BY m.measure_id, p.seq
        """;

    public string TariffMeasureById { get; } = $"""
        SELECT {MeasureColumns}
        FROM tariff_measure m
        JOIN tariff_period p ON p.measure_id = m.measure_id
        WHERE m.measure_id = @Id
        ORDER BY p.seq
        """;

    /// <summary>A page of measures after @After in id order; each filter is skipped when its parameter is null.</summary>
    public string TariffMeasurePage { get; } = $"""
        SELECT {MeasureColumns}
        FROM tariff_measure m
        JOIN tariff_period p ON p.measure_id = m.measure_id
        WHERE m.measure_id IN (
                SELECT f.measure_id FROM tariff_measure f
                WHERE f.measure_id > @After
                  AND (@Importer IS NULL OR f.importer = @Importer)
                  AND (@Origin IS NULL OR f.all_origins = 1
                       OR f.measure_id IN (SELECT o.measure_id FROM tariff_origin o WHERE o.origin = @Origin))
                  AND (@P0 IS NULL OR f.measure_id IN (
                        SELECT s.measure_id FROM tariff_scope s WHERE s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10)))
                  AND (@AsOf IS NULL OR f.measure_id IN (
                        SELECT fp.measure_id FROM tariff_period fp
                        WHERE fp.start_date <= @AsOf AND (fp.end_date IS NULL OR fp.end_date > @AsOf)))
                ORDER BY f.measure_id
                {dialect.FirstRows("@Take")})
        ORDER BY m.measure_id, p.seq
        """;

    // ---- Export controls ----------------------------------------------------------------------

    /// <summary>Candidates for an export check: by the code's prefixes or by item name, and by destination.</summary>
    public string ExportCandidates { get; } = $"""
        SELECT {ControlColumns}
        FROM export_control c
        JOIN export_period p ON p.control_id = c.control_id
        WHERE c.control_id IN (
                SELECT s.control_id FROM export_scope s
                WHERE s.exporter = @Exporter AND s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10)
                UNION
                SELECT i.control_id FROM export_item i WHERE i.exporter = @Exporter AND i.name = @Name)
          AND (c.all_destinations = 1
               OR c.control_id IN (SELECT d.control_id FROM export_destination d WHERE d.destination = @Destination))
        ORDER BY c.control_id, p.seq
        """;

    public string ExportControlById { get; } = $"""
        SELECT {ControlColumns}
        FROM export_control c
        JOIN export_period p ON p.control_id = c.control_id
        WHERE c.control_id = @Id
        ORDER BY p.seq
        """;

    public string ExportControlPage { get; } = $"""
        SELECT {ControlColumns}
        FROM export_control c
        JOIN export_period p ON p.control_id = c.control_id
        WHERE c.control_id IN (
                SELECT f.control_id FROM export_control f
                WHERE f.control_id > @After
                  AND (@Exporter IS NULL OR f.exporter = @Exporter)
                  AND (@Destination IS NULL OR f.all_destinations = 1
                       OR f.control_id IN (SELECT d.control_id FROM export_destination d WHERE d.destination = @Destination))
                  AND (@ItemFilter = 0
                       OR f.control_id IN (SELECT s.control_id FROM export_scope s WHERE s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10))
                       OR f.control_id IN (SELECT i.control_id FROM export_item i WHERE i.name = @Name))
                  AND (@AsOf IS NULL OR f.control_id IN (
                        SELECT fp.control_id FROM export_period fp
                        WHERE fp.start_date <= @AsOf AND (fp.end_date IS NULL OR fp.end_date > @AsOf)))
                ORDER BY f.control_id
                {dialect.FirstRows("@Take")})
        ORDER BY c.control_id, p.seq
        """;

    // ---- Truces -------------------------------------------------------------------------------

    private const string TrucesOfParties = """
        SELECT a.truce_id FROM truce_party a
        JOIN truce_party b ON b.truce_id = a.truce_id
        WHERE a.party = @PartyA AND b.party = @PartyB
        """;

    /// <summary>Truces between two parties with their windows, terms, events and the measures their terms created: one batch.</summary>
    public string TrucesBetween { get; } = TruceBatch(TrucesOfParties, withMeasures: true);

    public string TruceById { get; } = TruceBatch("SELECT @Id", withMeasures: false);

    public string TrucePage { get; } = TruceBatch($"""
        SELECT f.truce_id FROM truce f
        WHERE f.truce_id > @After
          AND (@Party IS NULL OR f.truce_id IN (SELECT tp.truce_id FROM truce_party tp WHERE tp.party = @Party))
          AND (@AsOf IS NULL OR f.truce_id IN (
                SELECT fe.truce_id FROM truce_extension fe WHERE fe.start_date <= @AsOf AND fe.expiry_date > @AsOf))
        ORDER BY f.truce_id
        {dialect.FirstRows("@Take")}
        """, withMeasures: false);

    private static string TruceBatch(string truceIds, bool withMeasures)
    {
        var batch = $"""
            SELECT {TruceColumns} FROM truce t WHERE t.truce_id IN ({truceIds}) ORDER BY t.truce_id;
            SELECT {ExtensionColumns} FROM truce_extension e WHERE e.truce_id IN ({truceIds}) ORDER BY e.truce_id, e.seq;
            SELECT {TermColumns} FROM truce_term tt WHERE tt.truce_id IN ({truceIds}) ORDER BY tt.truce_id, tt.seq;
            SELECT {EventColumns} FROM policy_event ev WHERE ev.truce_id IN ({truceIds}) ORDER BY ev.truce_id, ev.seq;
            """;
        if (!withMeasures) return batch;

        var termsOfTruces = $"SELECT lt.term_id FROM truce_term lt WHERE lt.truce_id IN ({truceIds})";
        return batch + $"""

            SELECT {MeasureColumns}
            FROM tariff_measure m
            JOIN tariff_period p ON p.measure_id = m.measure_id
            WHERE m.measure_id IN (SELECT lp.measure_id FROM tariff_period lp WHERE lp.truce_term_id IN ({termsOfTruces}))
            ORDER BY m.measure_id, p.seq;
            SELECT {ControlColumns}
            FROM export_control c
            JOIN export_period p ON p.control_id = c.control_id
            WHERE c.control_id IN (SELECT lp.control_id FROM export_period lp WHERE lp.truce_term_id IN ({termsOfTruces}))
            ORDER BY c.control_id, p.seq;
            """;
    }

    // ---- Reference data -----------------------------------------------------------------------

    public string AllSources { get; } = "SELECT source_id AS Id, title AS Title, urls_json AS UrlsJson FROM source ORDER BY source_id";

    public string DatasetInfo { get; } = "SELECT reviewed_through FROM dataset_info WHERE dataset_id = 1";

    public string TermTruces { get; } = "SELECT term_id AS TermId, truce_id AS TruceId FROM truce_term";

    public string Ping { get; } = "SELECT 1";

    // ---- Writes (one import = one transaction) ------------------------------------------------

    public string InsertSource { get; } = "INSERT INTO source (source_id, title, urls_json) VALUES (@Id, @Title, @UrlsJson)";

    public string InsertDatasetInfo { get; } =
        "INSERT INTO dataset_info (dataset_id, reviewed_through, loaded_at) VALUES (1, @ReviewedThrough, @LoadedAt)";

    public string InsertTariffMeasure { get; } = """
        INSERT INTO tariff_measure (measure_id, importer, all_origins, origins_json, title, kind, all_products,
            scope_prefixes_json, excluded_prefixes_json, scope_description, scope_mapping_note, legal_instrument,
            confidence, notes, source_ids_json, excluded_by_json)
        VALUES (@MeasureId, @Importer, @AllOrigins, @OriginsJson, @Title, @Kind, @AllProducts,
            @ScopePrefixesJson, @ExcludedPrefixesJson, @ScopeDescription, @ScopeMappingNote, @LegalInstrument,
            @Confidence, @Notes, @SourceIdsJson, @ExcludedByJson)
        """;

    public string InsertTariffScope { get; } =
        "INSERT INTO tariff_scope (importer, prefix, measure_id) VALUES (@Importer, @Prefix, @MeasureId)";

    public string InsertTariffOrigin { get; } = "INSERT INTO tariff_origin (origin, measure_id) VALUES (@Origin, @MeasureId)";

    public string InsertTariffPeriod { get; } = """
        INSERT INTO tariff_period (measure_id, seq, record_id, start_date, end_date, status, rate_bp, rate_description,
            legal_instrument, suspended_bp, suspended_until, truce_term_id, note, confidence)
        VALUES (@MeasureId, @Seq, @RecordId, @StartDate, @EndDate, @Status, @RateBp, @RateDescription,
            @PeriodInstrument, @SuspendedBp, @SuspendedUntil, @TruceTermId, @PeriodNote, @PeriodConfidence)
        """;

    public string InsertExportControl { get; } = """
        INSERT INTO export_control (control_id, exporter, all_destinations, destinations_json, title, control_type,
            all_products, scope_prefixes_json, excluded_prefixes_json, scope_description, scope_mapping_note,
            items_json, rules_json, legal_instrument, confidence, notes, source_ids_json)
        VALUES (@ControlId, @Exporter, @AllDestinations, @DestinationsJson, @Title, @ControlType,
            @AllProducts, @ScopePrefixesJson, @ExcludedPrefixesJson, @ScopeDescription, @ScopeMappingNote,
            @ItemsJson, @RulesJson, @LegalInstrument, @Confidence, @Notes, @SourceIdsJson)
        """;

    public string InsertExportScope { get; } =
        "INSERT INTO export_scope (exporter, prefix, control_id) VALUES (@Exporter, @Prefix, @ControlId)";

    public string InsertExportItem { get; } =
        "INSERT INTO export_item (exporter, name, control_id) VALUES (@Exporter, @Name, @ControlId)";

    public string InsertExportDestination { get; } =
        "INSERT INTO export_destination (destination, control_id) VALUES (@Destination, @ControlId)";

    public string InsertExportPeriod { get; } = """
        INSERT INTO export_period (control_id, seq, record_id, start_date, end_date, status, legal_instrument,
            suspended_until, truce_term_id, note, confidence)
        VALUES (@ControlId, @Seq, @RecordId, @StartDate, @EndDate, @Status, @PeriodInstrument,
            @SuspendedUntil, @TruceTermId, @PeriodNote, @PeriodConfidence)
        """;

    public string InsertTruce { get; } = """
        INSERT INTO truce (truce_id, title, parties_json, concluded_date, effective_date, confidence, notes, source_ids_json)
        VALUES (@TruceId, @Title, @PartiesJson, @ConcludedDate, @EffectiveDate, @Confidence, @Notes, @SourceIdsJson)
        """;

    public string InsertTruceParty { get; } = "INSERT INTO truce_party (party, truce_id) VALUES (@Party, @TruceId)";

    public string InsertTruceExtension { get; } = """
        INSERT INTO truce_extension (truce_id, seq, record_id, start_date, expiry_date, legal_instrument, note)
        VALUES (@TruceId, @Seq, @RecordId, @StartDate, @ExpiryDate, @LegalInstrument, @Note)
        """;

    public string InsertTruceTerm { get; } = """
        INSERT INTO truce_term (term_id, truce_id, seq, committing_parties_json, term_type, scope, description,
            legal_instrument, announced_date, effective_date, status_note, measure_ids_json, purchases_json,
            source_ids_json, confidence)
        VALUES (@TermId, @TruceId, @Seq, @CommittingPartiesJson, @TermType, @Scope, @Description,
            @LegalInstrument, @AnnouncedDate, @EffectiveDate, @StatusNote, @MeasureIdsJson, @PurchasesJson,
            @SourceIdsJson, @Confidence)
        """;

    public string InsertPolicyEvent { get; } = """
        INSERT INTO policy_event (event_id, truce_id, seq, event_date, actors_json, subject, description, source_ids_json, confidence)
        VALUES (@EventId, @TruceId, @Seq, @EventDate, @ActorsJson, @Subject, @Description, @SourceIdsJson, @Confidence)
        """;
}
