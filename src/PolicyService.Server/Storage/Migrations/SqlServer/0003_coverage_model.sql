-- What the data covers (importers, origins, duty kinds, exporters, destinations, truce parties), one row per version of
-- the whole model: it is small and always read whole, so it is JSON text. Append-only like every versioned table.
CREATE TABLE coverage_model (
    version        INT NOT NULL PRIMARY KEY,
    recorded_time  DATETIME2(7) NOT NULL,
    recorded_by    NVARCHAR(256) NOT NULL,
    reason         NVARCHAR(MAX) NOT NULL,
    model_json     NVARCHAR(MAX) NOT NULL
);
