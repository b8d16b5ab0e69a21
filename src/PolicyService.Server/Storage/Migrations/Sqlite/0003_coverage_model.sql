-- What the data covers (importers, origins, duty kinds, exporters, destinations, truce parties), one row per version of
-- the whole model: it is small and always read whole, so it is JSON text. Append-only like every versioned table.
CREATE TABLE coverage_model (
    version        INTEGER NOT NULL PRIMARY KEY,
    recorded_time  TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    reason         TEXT NOT NULL,
    model_json     TEXT NOT NULL
);
