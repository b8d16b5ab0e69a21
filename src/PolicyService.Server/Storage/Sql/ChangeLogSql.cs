namespace PolicyService.Server.Storage;

/// <summary>The change log, idempotent requests, and the append-only reference data (sources, coverage).</summary>
public sealed class ChangeLogSql(ISqlDialect dialect)
{
    public string Ping { get; } = "SELECT 1";

    public string LatestChange { get; } = "SELECT MAX(seq) FROM change_log";

    public string LatestChangeTime { get; } = "SELECT MAX(recorded_time) FROM change_log";

    /// <summary>Committed changes after a sequence number, in commit order.</summary>
    public string ChangesAfter { get; } = $"""
        SELECT seq AS Seq, recorded_time AS RecordedTime, recorded_by AS RecordedBy, reason AS Reason, request_id AS RequestId,
               resource_type AS ResourceType, resource_id AS ResourceId, version AS Version, change_kind AS ChangeKind
        FROM change_log
        WHERE seq > @After
        ORDER BY seq
        {dialect.FirstRows("@Take")}
        """;

    /// <summary>
    /// The current versions of the records changed in (@After, @Through], in one batch: tariff measures, export controls,
    /// then the truce result sets. What the snapshot refresher reads to apply a batch of changes, whatever its size.
    /// </summary>
    public string CurrentVersionsChanged { get; } = $"""
        SELECT {TariffSql.Columns}
        {TariffSql.WithPeriods}
        WHERE m.measure_id IN ({Changed("tariff_measure")}) AND {KnownVersion.Measure("m")}
        ORDER BY m.measure_id, p.seq;
        SELECT {ExportControlSql.Columns}
        {ExportControlSql.WithPeriods}
        WHERE c.control_id IN ({Changed("export_control")}) AND {KnownVersion.Control("c")}
        ORDER BY c.control_id, p.seq;
        {TruceSql.Batch(Changed("truce"), withMeasures: false)}
        """;

    private static string Changed(string resourceType) =>
        $"SELECT l.resource_id FROM change_log l WHERE l.seq > @After AND l.seq <= @Through AND l.resource_type = '{resourceType}'";

    /// <summary>Reviewed-through history, every source, the truce of each term, the latest change and the coverage models: one batch.</summary>
    public string LoadReferenceData { get; } = """
        SELECT recorded_time AS RecordedTime, reviewed_through AS ReviewedThrough FROM coverage ORDER BY recorded_time;
        SELECT source_id AS Id, title AS Title, urls_json AS UrlsJson FROM source ORDER BY source_id;
        SELECT DISTINCT term_id AS TermId, truce_id AS TruceId FROM truce_term;
        SELECT MAX(seq) FROM change_log;
        SELECT version AS Version, recorded_time AS RecordedTime, recorded_by AS RecordedBy, reason AS Reason, model_json AS ModelJson
        FROM coverage_model ORDER BY version;
        """;

    public string FindRequest { get; } = "SELECT result_json FROM admin_request WHERE request_id = @RequestId";

    // ---- Writes ---------------------------------------------------------------------------------

    public string InsertRequest { get; } = """
        INSERT INTO admin_request (request_id, recorded_time, recorded_by, first_seq, last_seq, result_json)
        VALUES (@RequestId, @RecordedTime, @RecordedBy, @FirstSeq, @LastSeq, @ResultJson)
        """;

    public string InsertChange { get; } = """
        INSERT INTO change_log (recorded_time, recorded_by, reason, request_id, resource_type, resource_id, version, change_kind)
        VALUES (@RecordedTime, @RecordedBy, @Reason, @RequestId, @ResourceType, @ResourceId, @Version, @ChangeKind)
        """;

    public string SourceExists { get; } = "SELECT COUNT(*) FROM source WHERE source_id = @Id";

    public string InsertSource { get; } =
        "INSERT INTO source (source_id, title, urls_json, recorded_time) VALUES (@Id, @Title, @UrlsJson, @RecordedTime)";

    public string InsertCoverage { get; } =
        "INSERT INTO coverage (recorded_time, reviewed_through, recorded_by) VALUES (@RecordedTime, @ReviewedThrough, @RecordedBy)";

    public string CurrentCoverageVersion { get; } = "SELECT MAX(version) FROM coverage_model";

    public string InsertCoverageModel { get; } = """
        INSERT INTO coverage_model (version, recorded_time, recorded_by, reason, model_json)
        VALUES (@Version, @RecordedTime, @RecordedBy, @Reason, @ModelJson)
        """;
}
