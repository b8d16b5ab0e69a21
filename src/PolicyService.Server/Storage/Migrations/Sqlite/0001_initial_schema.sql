-- PolicyService schema for SQLite. Dates are ISO-8601 TEXT ('YYYY-MM-DD'), so they compare in date order.
-- Rates are integer basis points (1 bp = 0.01 %), never floating point.
-- Lists nobody filters on are JSON text; lists lookups filter on have their own indexed tables.
-- History is append-only: a change writes a new version of the whole record (its root row and all its child rows,
-- keyed by (id, version)); no row is ever updated or deleted. A read "as known at T" takes, per record, the highest
-- version recorded at or before T.

-- Sources are immutable once recorded: a correction is a new source.
CREATE TABLE source (
    source_id      TEXT NOT NULL PRIMARY KEY,
    title          TEXT NOT NULL,
    urls_json      TEXT NOT NULL,
    recorded_time  TEXT NOT NULL
);

-- The date through which the data was reviewed, as it changed over time (the latest row recorded by T applies at T).
CREATE TABLE coverage (
    recorded_time     TEXT NOT NULL PRIMARY KEY,
    reviewed_through  TEXT NOT NULL,
    recorded_by       TEXT NOT NULL
);

CREATE TABLE tariff_measure (
    measure_id              TEXT NOT NULL,
    version                 INTEGER NOT NULL,
    recorded_time           TEXT NOT NULL,
    recorded_by             TEXT NOT NULL,
    reason                  TEXT NOT NULL,
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
    excluded_by_json        TEXT NOT NULL,
    PRIMARY KEY (measure_id, version)
);
CREATE INDEX ix_tariff_measure_importer ON tariff_measure (importer, measure_id, version);

-- One row per scope prefix; '' stands for all products. A lookup seeks here with the code's own prefixes.
CREATE TABLE tariff_scope (
    importer    TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    measure_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (importer, prefix, measure_id, version)
) WITHOUT ROWID;

CREATE TABLE tariff_origin (
    origin      TEXT NOT NULL,
    measure_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (origin, measure_id, version)
) WITHOUT ROWID;

CREATE TABLE tariff_period (
    measure_id        TEXT NOT NULL,
    version     INTEGER NOT NULL,
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
    PRIMARY KEY (measure_id, version, seq)
) WITHOUT ROWID;
CREATE INDEX ix_tariff_period_truce_term ON tariff_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE export_control (
    control_id              TEXT NOT NULL,
    version                 INTEGER NOT NULL,
    recorded_time           TEXT NOT NULL,
    recorded_by             TEXT NOT NULL,
    reason                  TEXT NOT NULL,
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
    source_ids_json         TEXT NOT NULL,
    PRIMARY KEY (control_id, version)
);
CREATE INDEX ix_export_control_exporter ON export_control (exporter, control_id, version);

CREATE TABLE export_scope (
    exporter    TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    control_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (exporter, prefix, control_id, version)
) WITHOUT ROWID;

CREATE TABLE export_item (
    exporter    TEXT NOT NULL,
    name        TEXT NOT NULL,
    control_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (exporter, name, control_id, version)
) WITHOUT ROWID;

CREATE TABLE export_destination (
    destination  TEXT NOT NULL,
    control_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (destination, control_id, version)
) WITHOUT ROWID;

CREATE TABLE export_period (
    control_id        TEXT NOT NULL,
    version     INTEGER NOT NULL,
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
    PRIMARY KEY (control_id, version, seq)
) WITHOUT ROWID;
CREATE INDEX ix_export_period_truce_term ON export_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE truce (
    truce_id         TEXT NOT NULL,
    version                 INTEGER NOT NULL,
    recorded_time           TEXT NOT NULL,
    recorded_by             TEXT NOT NULL,
    reason                  TEXT NOT NULL,
    title            TEXT NOT NULL,
    parties_json     TEXT NOT NULL,
    concluded_date   TEXT NOT NULL,
    effective_date   TEXT NOT NULL,
    confidence       TEXT NOT NULL,
    notes            TEXT NOT NULL,
    source_ids_json  TEXT NOT NULL,
    PRIMARY KEY (truce_id, version)
);

CREATE TABLE truce_party (
    party     TEXT NOT NULL,
    truce_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (party, truce_id, version)
) WITHOUT ROWID;

CREATE TABLE truce_extension (
    truce_id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    seq               INTEGER NOT NULL,
    record_id         TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    expiry_date       TEXT NOT NULL,
    legal_instrument  TEXT NOT NULL,
    note              TEXT NOT NULL,
    PRIMARY KEY (truce_id, version, seq)
) WITHOUT ROWID;

CREATE TABLE truce_term (
    term_id                  TEXT NOT NULL,
    truce_id                 TEXT NOT NULL,
    version                  INTEGER NOT NULL,
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
    confidence               TEXT NOT NULL,
    PRIMARY KEY (truce_id, version, term_id)
);
CREATE INDEX ix_truce_term_term ON truce_term (term_id);

CREATE TABLE policy_event (
    event_id         TEXT NOT NULL,
    truce_id         TEXT NOT NULL,
    version          INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    event_date       TEXT NOT NULL,
    actors_json      TEXT NOT NULL,
    subject          TEXT NOT NULL,
    description      TEXT NOT NULL,
    source_ids_json  TEXT NOT NULL,
    confidence       TEXT NOT NULL,
    PRIMARY KEY (truce_id, version, event_id)
);

-- Every committed change, in commit order (writers are serialised), for the change feed and for "who, when, why".
CREATE TABLE change_log (
    seq            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    recorded_time  TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    reason         TEXT NOT NULL,
    request_id     TEXT NOT NULL,
    resource_type  TEXT NOT NULL,
    resource_id    TEXT NOT NULL,
    version        INTEGER NOT NULL,
    change_kind    TEXT NOT NULL
);

-- Client-supplied request ids of committed imports: a retried import returns the first result and changes nothing.
CREATE TABLE admin_request (
    request_id     TEXT NOT NULL PRIMARY KEY,
    recorded_time  TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    result_json    TEXT NOT NULL
);
