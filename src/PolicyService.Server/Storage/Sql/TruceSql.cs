namespace PolicyService.Server.Storage;

/// <summary>The statements of truces, each named after the store operation it serves.</summary>
public sealed class TruceSql(ISqlDialect dialect)
{
    private const string TruceColumns = """
        t.truce_id AS TruceId, t.version AS Version, t.recorded_time AS RecordedTime, t.recorded_by AS RecordedBy,
        t.reason AS Reason, t.title AS Title, t.parties_json AS PartiesJson, t.concluded_date AS ConcludedDate,
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

    private const string TrucesOfParties = """
        SELECT a.truce_id FROM truce_party a
        JOIN truce_party b ON b.truce_id = a.truce_id AND b.version = a.version
        WHERE a.party = @PartyA AND b.party = @PartyB
        """;

    /// <summary>Truces between two parties with their windows, terms, events and the measures their terms created: one batch.</summary>
    public string FindTruces { get; } = Batch(TrucesOfParties, withMeasures: true);

    public string GetTruce { get; } = Batch("SELECT @Id", withMeasures: false);

    public string ListTruces { get; } = Batch($"""
        SELECT f.truce_id FROM truce f
        WHERE f.truce_id > @After
          AND {KnownVersion.Truce("f")}
          AND (@Party IS NULL OR EXISTS (SELECT 1 FROM truce_party tp
                WHERE tp.truce_id = f.truce_id AND tp.version = f.version AND tp.party = @Party))
          AND (@AsOf IS NULL OR EXISTS (SELECT 1 FROM truce_extension fe
                WHERE fe.truce_id = f.truce_id AND fe.version = f.version AND fe.start_date <= @AsOf AND fe.expiry_date > @AsOf))
        ORDER BY f.truce_id
        {dialect.FirstRows("@Take")}
        """, withMeasures: false);

    internal static string Batch(string truceIds, bool withMeasures)
    {
        // Each statement selects the known version of the same truces, then that version's child rows.
        var known = $"t.truce_id IN ({truceIds}) AND {KnownVersion.Truce("t")}";
        var batch = $"""
            SELECT {TruceColumns} FROM truce t WHERE {known} ORDER BY t.truce_id;
            SELECT {ExtensionColumns} FROM truce t JOIN truce_extension e ON e.truce_id = t.truce_id AND e.version = t.version
            WHERE {known} ORDER BY e.truce_id, e.seq;
            SELECT {TermColumns} FROM truce t JOIN truce_term tt ON tt.truce_id = t.truce_id AND tt.version = t.version
            WHERE {known} ORDER BY tt.truce_id, tt.seq;
            SELECT {EventColumns} FROM truce t JOIN policy_event ev ON ev.truce_id = t.truce_id AND ev.version = t.version
            WHERE {known} ORDER BY ev.truce_id, ev.seq;
            """;
        if (!withMeasures) return batch;

        var termsOfTruces = $"SELECT lt.term_id FROM truce_term lt WHERE lt.truce_id IN ({truceIds})";
        return batch + $"""

            SELECT {TariffSql.Columns}
            {TariffSql.WithPeriods}
            WHERE m.measure_id IN (SELECT lp.measure_id FROM tariff_period lp WHERE lp.truce_term_id IN ({termsOfTruces}))
              AND {KnownVersion.Measure("m")}
            ORDER BY m.measure_id, p.seq;
            SELECT {ExportControlSql.Columns}
            {ExportControlSql.WithPeriods}
            WHERE c.control_id IN (SELECT lp.control_id FROM export_period lp WHERE lp.truce_term_id IN ({termsOfTruces}))
              AND {KnownVersion.Control("c")}
            ORDER BY c.control_id, p.seq;
            """;
    }

    // ---- Writes ---------------------------------------------------------------------------------

    public string CurrentVersion { get; } = "SELECT MAX(version) FROM truce WHERE truce_id = @Id";

    public string InsertTruce { get; } = """
        INSERT INTO truce (truce_id, version, recorded_time, recorded_by, reason, title, parties_json, concluded_date,
            effective_date, confidence, notes, source_ids_json)
        VALUES (@TruceId, @Version, @RecordedTime, @RecordedBy, @Reason, @Title, @PartiesJson, @ConcludedDate,
            @EffectiveDate, @Confidence, @Notes, @SourceIdsJson)
        """;

    public string InsertParty { get; } =
        "INSERT INTO truce_party (party, truce_id, version) VALUES (@Party, @TruceId, @Version)";

    public string InsertExtension { get; } = """
        INSERT INTO truce_extension (truce_id, version, seq, record_id, start_date, expiry_date, legal_instrument, note)
        VALUES (@TruceId, @Version, @Seq, @RecordId, @StartDate, @ExpiryDate, @LegalInstrument, @Note)
        """;

    public string InsertTerm { get; } = """
        INSERT INTO truce_term (term_id, truce_id, version, seq, committing_parties_json, term_type, scope, description,
            legal_instrument, announced_date, effective_date, status_note, measure_ids_json, purchases_json,
            source_ids_json, confidence)
        VALUES (@TermId, @TruceId, @Version, @Seq, @CommittingPartiesJson, @TermType, @Scope, @Description,
            @LegalInstrument, @AnnouncedDate, @EffectiveDate, @StatusNote, @MeasureIdsJson, @PurchasesJson,
            @SourceIdsJson, @Confidence)
        """;

    public string InsertEvent { get; } = """
        INSERT INTO policy_event (event_id, truce_id, version, seq, event_date, actors_json, subject, description,
            source_ids_json, confidence)
        VALUES (@EventId, @TruceId, @Version, @Seq, @EventDate, @ActorsJson, @Subject, @Description, @SourceIdsJson, @Confidence)
        """;
}
