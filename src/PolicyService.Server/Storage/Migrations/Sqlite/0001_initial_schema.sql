-- PolicyService schema for SQLite. Dates are ISO-8601 TEXT ('YYYY-MM-DD'), so they compare in date order.
-- Rates are integer basis points (1 bp = 0.01 %), never floating point.
-- Lists nobody filters on are JSON text; lists lookups filter on have their own indexed tables.

CREATE TABLE source (
    source_id   TEXT NOT NULL PRIMARY KEY,
    title       TEXT NOT NULL,
    urls_json   TEXT NOT NULL
);

CREATE TABLE dataset_info (
    dataset_id        INTEGER NOT NULL PRIMARY KEY CHECK (dataset_id = 1),
    reviewed_through  TEXT NOT NULL,
    loaded_at         TEXT NOT NULL
);

CREATE TABLE tariff_measure (
    measure_id              TEXT NOT NULL PRIMARY KEY,
    importer                TEXT NOT NULL,
    all_origins             INTEGER NOT NULL,
    origins_json            TEXT NOT NULL,
    title                   TEXT NOT NULL,
    kind                    TEXT NOT NULL,
    all_products            INTEGER NOT NULL,
    scope_prefixes_json     TEXT NOT NULL,
    excluded_prefixes_json  TEXT NOT NULL,
    scope_description       TEXT NOT NULL,
    scope_mapping_note      TEXT NOT NULL,
    legal_instrument        TEXT NOT NULL,
    confidence              TEXT NOT NULL,
    notes                   TEXT NOT NULL,
    source_ids_json         TEXT NOT NULL,
    excluded_by_json        TEXT NOT NULL
);
CREATE INDEX ix_tariff_measure_importer ON tariff_measure (importer, measure_id);

-- One row per scope prefix; '' stands for all products. A lookup seeks here with the code's own prefixes.
CREATE TABLE tariff_scope (
    importer    TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    measure_id  TEXT NOT NULL REFERENCES tariff_measure (measure_id),
    PRIMARY KEY (importer, prefix, measure_id)
) WITHOUT ROWID;

CREATE TABLE tariff_origin (
    origin      TEXT NOT NULL,
    measure_id  TEXT NOT NULL REFERENCES tariff_measure (measure_id),
    PRIMARY KEY (origin, measure_id)
) WITHOUT ROWID;

CREATE TABLE tariff_period (
    measure_id        TEXT NOT NULL REFERENCES tariff_measure (measure_id),
    seq               INTEGER NOT NULL,
    record_id         TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    end_date          TEXT NULL,
    status            TEXT NOT NULL,
    rate_bp           INTEGER NULL,
    rate_description  TEXT NOT NULL,
    legal_instrument  TEXT NOT NULL,
    suspended_bp      INTEGER NULL,
    suspended_until   TEXT NULL,
    truce_term_id     TEXT NULL,
    note              TEXT NOT NULL,
    confidence        TEXT NOT NULL,
    PRIMARY KEY (measure_id, seq)
) WITHOUT ROWID;
CREATE INDEX ix_tariff_period_truce_term ON tariff_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE export_control (
    control_id              TEXT NOT NULL PRIMARY KEY,
    exporter                TEXT NOT NULL,
    all_destinations        INTEGER NOT NULL,
    destinations_json       TEXT NOT NULL,
    title                   TEXT NOT NULL,
    control_type            TEXT NOT NULL,
    all_products            INTEGER NOT NULL,
    scope_prefixes_json     TEXT NOT NULL,
    excluded_prefixes_json  TEXT NOT NULL,
    scope_description       TEXT NOT NULL,
    scope_mapping_note      TEXT NOT NULL,
    items_json              TEXT NOT NULL,
    rules_json              TEXT NOT NULL,
    legal_instrument        TEXT NOT NULL,
    confidence              TEXT NOT NULL,
    notes                   TEXT NOT NULL,
    source_ids_json         TEXT NOT NULL
);
CREATE INDEX ix_export_control_exporter ON export_control (exporter, control_id);

CREATE TABLE export_scope (
    exporter    TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    control_id  TEXT NOT NULL REFERENCES export_control (control_id),
    PRIMARY KEY (exporter, prefix, control_id)
) WITHOUT ROWID;

CREATE TABLE export_item (
    exporter    TEXT NOT NULL,
    name        TEXT NOT NULL,
    control_id  TEXT NOT NULL REFERENCES export_control (control_id),
    PRIMARY KEY (exporter, name, control_id)
) WITHOUT ROWID;

CREATE TABLE export_destination (
    destination  TEXT NOT NULL,
    control_id   TEXT NOT NULL REFERENCES export_control (control_id),
    PRIMARY KEY (destination, control_id)
) WITHOUT ROWID;

CREATE TABLE export_period (
    control_id        TEXT NOT NULL REFERENCES export_control (control_id),
    seq               INTEGER NOT NULL,
    record_id         TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    end_date          TEXT NULL,
    status            TEXT NOT NULL,
    legal_instrument  TEXT NOT NULL,
    suspended_until   TEXT NULL,
    truce_term_id     TEXT NULL,
    note              TEXT NOT NULL,
    confidence        TEXT NOT NULL,
    PRIMARY KEY (control_id, seq)
) WITHOUT ROWID;
CREATE INDEX ix_export_period_truce_term ON export_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE truce (
    truce_id         TEXT NOT NULL PRIMARY KEY,
    title            TEXT NOT NULL,
    parties_json     TEXT NOT NULL,
    concluded_date   TEXT NOT NULL,
    effective_date   TEXT NOT NULL,
    confidence       TEXT NOT NULL,
    notes            TEXT NOT NULL,
    source_ids_json  TEXT NOT NULL
);

CREATE TABLE truce_party (
    party     TEXT NOT NULL,
    truce_id  TEXT NOT NULL REFERENCES truce (truce_id),
    PRIMARY KEY (party, truce_id)
) WITHOUT ROWID;

CREATE TABLE truce_extension (
    truce_id          TEXT NOT NULL REFERENCES truce (truce_id),
    seq               INTEGER NOT NULL,
    record_id         TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    expiry_date       TEXT NOT NULL,
    legal_instrument  TEXT NOT NULL,
    note              TEXT NOT NULL,
    PRIMARY KEY (truce_id, seq)
) WITHOUT ROWID;

CREATE TABLE truce_term (
    term_id                  TEXT NOT NULL PRIMARY KEY,
    truce_id                 TEXT NOT NULL REFERENCES truce (truce_id),
    seq                      INTEGER NOT NULL,
    committing_parties_json  TEXT NOT NULL,
    term_type                TEXT NOT NULL,
    scope                    TEXT NOT NULL,
    description              TEXT NOT NULL,
    legal_instrument         TEXT NOT NULL,
    announced_date           TEXT NULL,
    effective_date           TEXT NULL,
    status_note              TEXT NOT NULL,
    measure_ids_json         TEXT NOT NULL,
    purchases_json           TEXT NOT NULL,
    source_ids_json          TEXT NOT NULL,
    confidence               TEXT NOT NULL
);
CREATE INDEX ix_truce_term_truce ON truce_term (truce_id, seq);

CREATE TABLE policy_event (
    event_id         TEXT NOT NULL PRIMARY KEY,
    truce_id         TEXT NOT NULL REFERENCES truce (truce_id),
    seq              INTEGER NOT NULL,
    event_date       TEXT NOT NULL,
    actors_json      TEXT NOT NULL,
    subject          TEXT NOT NULL,
    description      TEXT NOT NULL,
    source_ids_json  TEXT NOT NULL,
    confidence       TEXT NOT NULL
);
CREATE INDEX ix_policy_event_truce ON policy_event (truce_id, seq);
