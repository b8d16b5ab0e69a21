-- PolicyService schema for SQL Server 2019+ and Azure SQL. Dates are DATE, instants DATETIME2.
-- Keys and codes use a binary collation: exact, case-sensitive matches and ordinal order, as on SQLite,
-- so keyset pages walk ids in the same order on both databases.
-- Rates are integer basis points (1 bp = 0.01 %), never floating point.
-- Lists nobody filters on are JSON text; lists lookups filter on have their own indexed tables.
-- History is append-only: a change writes a new version of the whole record (its root row and all its child rows,
-- keyed by (id, version)); no row is ever updated or deleted. A read "as known at T" takes, per record, the highest
-- version recorded at or before T.

-- Sources are immutable once recorded: a correction is a new source.
CREATE TABLE source (
    source_id      NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    title          NVARCHAR(MAX) NOT NULL,
    urls_json      NVARCHAR(MAX) NOT NULL,
    recorded_time  DATETIME2(7) NOT NULL
);

-- The date through which the data was reviewed, as it changed over time (the latest row recorded by T applies at T).
CREATE TABLE coverage (
    recorded_time     DATETIME2(7) NOT NULL PRIMARY KEY,
    reviewed_through  DATE NOT NULL,
    recorded_by       NVARCHAR(256) NOT NULL
);

CREATE TABLE tariff_measure (
    measure_id              NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version                 INT NOT NULL,
    recorded_time           DATETIME2(7) NOT NULL,
    recorded_by             NVARCHAR(256) NOT NULL,
    reason                  NVARCHAR(MAX) NOT NULL,
    importer                NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    all_origins             BIT NOT NULL,
    origins_json            NVARCHAR(MAX) NOT NULL,
    title                   NVARCHAR(MAX) NOT NULL,
    kind                    NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    all_products            BIT NOT NULL,
    scope_prefixes_json     NVARCHAR(MAX) NOT NULL,
    excluded_prefixes_json  NVARCHAR(MAX) NOT NULL,
    scope_description       NVARCHAR(MAX) NOT NULL,
    scope_mapping_note      NVARCHAR(MAX) NOT NULL,
    legal_instrument        NVARCHAR(MAX) NOT NULL,
    confidence              NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    notes                   NVARCHAR(MAX) NOT NULL,
    source_ids_json         NVARCHAR(MAX) NOT NULL,
    excluded_by_json        NVARCHAR(MAX) NOT NULL,
    PRIMARY KEY (measure_id, version)
);
CREATE INDEX ix_tariff_measure_importer ON tariff_measure (importer, measure_id, version);

-- One row per scope prefix; '' stands for all products. A lookup seeks here with the code's own prefixes.
CREATE TABLE tariff_scope (
    importer    NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    prefix      NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NOT NULL,
    measure_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    PRIMARY KEY (importer, prefix, measure_id, version)
);

CREATE TABLE tariff_origin (
    origin      NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    measure_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    PRIMARY KEY (origin, measure_id, version)
);

CREATE TABLE tariff_period (
    measure_id        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    seq               INT NOT NULL,
    record_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    start_date        DATE NOT NULL,
    end_date          DATE NULL,
    status            NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    rate_bp           INT NULL,
    rate_description  NVARCHAR(MAX) NOT NULL,
    legal_instrument  NVARCHAR(MAX) NOT NULL,
    suspended_bp      INT NULL,
    suspended_until   DATE NULL,
    truce_term_id     NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NULL,
    note              NVARCHAR(MAX) NOT NULL,
    confidence        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    PRIMARY KEY (measure_id, version, seq)
);
CREATE INDEX ix_tariff_period_truce_term ON tariff_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE export_control (
    control_id              NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version                 INT NOT NULL,
    recorded_time           DATETIME2(7) NOT NULL,
    recorded_by             NVARCHAR(256) NOT NULL,
    reason                  NVARCHAR(MAX) NOT NULL,
    exporter                NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    all_destinations        BIT NOT NULL,
    destinations_json       NVARCHAR(MAX) NOT NULL,
    title                   NVARCHAR(MAX) NOT NULL,
    control_type            NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    all_products            BIT NOT NULL,
    scope_prefixes_json     NVARCHAR(MAX) NOT NULL,
    excluded_prefixes_json  NVARCHAR(MAX) NOT NULL,
    scope_description       NVARCHAR(MAX) NOT NULL,
    scope_mapping_note      NVARCHAR(MAX) NOT NULL,
    items_json              NVARCHAR(MAX) NOT NULL,
    rules_json              NVARCHAR(MAX) NOT NULL,
    legal_instrument        NVARCHAR(MAX) NOT NULL,
    confidence              NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    notes                   NVARCHAR(MAX) NOT NULL,
    source_ids_json         NVARCHAR(MAX) NOT NULL,
    PRIMARY KEY (control_id, version)
);
CREATE INDEX ix_export_control_exporter ON export_control (exporter, control_id, version);

CREATE TABLE export_scope (
    exporter    NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    prefix      NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NOT NULL,
    control_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    PRIMARY KEY (exporter, prefix, control_id, version)
);

CREATE TABLE export_item (
    exporter    NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    name        NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
    control_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    PRIMARY KEY (exporter, name, control_id, version)
);

CREATE TABLE export_destination (
    destination  NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    control_id   NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    PRIMARY KEY (destination, control_id, version)
);

CREATE TABLE export_period (
    control_id        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    seq               INT NOT NULL,
    record_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    start_date        DATE NOT NULL,
    end_date          DATE NULL,
    status            NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    legal_instrument  NVARCHAR(MAX) NOT NULL,
    suspended_until   DATE NULL,
    truce_term_id     NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NULL,
    note              NVARCHAR(MAX) NOT NULL,
    confidence        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    PRIMARY KEY (control_id, version, seq)
);
CREATE INDEX ix_export_period_truce_term ON export_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE truce (
    truce_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version                 INT NOT NULL,
    recorded_time           DATETIME2(7) NOT NULL,
    recorded_by             NVARCHAR(256) NOT NULL,
    reason                  NVARCHAR(MAX) NOT NULL,
    title            NVARCHAR(MAX) NOT NULL,
    parties_json     NVARCHAR(MAX) NOT NULL,
    concluded_date   DATE NOT NULL,
    effective_date   DATE NOT NULL,
    confidence       NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    notes            NVARCHAR(MAX) NOT NULL,
    source_ids_json  NVARCHAR(MAX) NOT NULL,
    PRIMARY KEY (truce_id, version)
);

CREATE TABLE truce_party (
    party     NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    truce_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    PRIMARY KEY (party, truce_id, version)
);

CREATE TABLE truce_extension (
    truce_id          NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version     INT NOT NULL,
    seq               INT NOT NULL,
    record_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    start_date        DATE NOT NULL,
    expiry_date       DATE NOT NULL,
    legal_instrument  NVARCHAR(MAX) NOT NULL,
    note              NVARCHAR(MAX) NOT NULL,
    PRIMARY KEY (truce_id, version, seq)
);

CREATE TABLE truce_term (
    term_id                  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    truce_id                 NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version                  INT NOT NULL,
    seq                      INT NOT NULL,
    committing_parties_json  NVARCHAR(MAX) NOT NULL,
    term_type                NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    scope                    NVARCHAR(MAX) NOT NULL,
    description              NVARCHAR(MAX) NOT NULL,
    legal_instrument         NVARCHAR(MAX) NOT NULL,
    announced_date           DATE NULL,
    effective_date           DATE NULL,
    status_note              NVARCHAR(MAX) NOT NULL,
    measure_ids_json         NVARCHAR(MAX) NOT NULL,
    purchases_json           NVARCHAR(MAX) NOT NULL,
    source_ids_json          NVARCHAR(MAX) NOT NULL,
    confidence               NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    PRIMARY KEY (truce_id, version, term_id)
);
CREATE INDEX ix_truce_term_term ON truce_term (term_id);

CREATE TABLE policy_event (
    event_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    truce_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version          INT NOT NULL,
    seq              INT NOT NULL,
    event_date       DATE NOT NULL,
    actors_json      NVARCHAR(MAX) NOT NULL,
    subject          NVARCHAR(MAX) NOT NULL,
    description      NVARCHAR(MAX) NOT NULL,
    source_ids_json  NVARCHAR(MAX) NOT NULL,
    confidence       NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    PRIMARY KEY (truce_id, version, event_id)
);

-- Every committed change, in commit order (writers are serialised), for the change feed and for "who, when, why".
CREATE TABLE change_log (
    seq            BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    recorded_time  DATETIME2(7) NOT NULL,
    recorded_by    NVARCHAR(256) NOT NULL,
    reason         NVARCHAR(MAX) NOT NULL,
    request_id     NVARCHAR(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    resource_type  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    resource_id    NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version        INT NOT NULL,
    change_kind    NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL
);

-- Client-supplied request ids of committed imports: a retried import returns the first result and changes nothing.
CREATE TABLE admin_request (
    request_id     NVARCHAR(128) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    recorded_time  DATETIME2(7) NOT NULL,
    recorded_by    NVARCHAR(256) NOT NULL,
    first_seq      BIGINT NOT NULL,
    last_seq       BIGINT NOT NULL,
    result_json    NVARCHAR(MAX) NOT NULL
);
