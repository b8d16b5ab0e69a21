-- PolicyService schema for SQL Server 2019+ and Azure SQL. Dates are DATE.
-- Keys and codes use a binary collation: exact, case-sensitive matches and ordinal order, as on SQLite,
-- so keyset pages walk ids in the same order on both databases.
-- Rates are integer basis points (1 bp = 0.01 %), never floating point.
-- Lists nobody filters on are JSON text; lists lookups filter on have their own indexed tables.

CREATE TABLE source (
    source_id   NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    title       NVARCHAR(MAX) NOT NULL,
    urls_json   NVARCHAR(MAX) NOT NULL
);

CREATE TABLE dataset_info (
    dataset_id        INT NOT NULL PRIMARY KEY CHECK (dataset_id = 1),
    reviewed_through  DATE NOT NULL,
    loaded_at         DATETIME2(3) NOT NULL
);

CREATE TABLE tariff_measure (
    measure_id              NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
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
    excluded_by_json        NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_tariff_measure_importer ON tariff_measure (importer, measure_id);

-- One row per scope prefix; '' stands for all products. A lookup seeks here with the code's own prefixes.
CREATE TABLE tariff_scope (
    importer    NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    prefix      NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NOT NULL,
    measure_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES tariff_measure (measure_id),
    PRIMARY KEY (importer, prefix, measure_id)
);

CREATE TABLE tariff_origin (
    origin      NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    measure_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES tariff_measure (measure_id),
    PRIMARY KEY (origin, measure_id)
);

CREATE TABLE tariff_period (
    measure_id        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES tariff_measure (measure_id),
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
    PRIMARY KEY (measure_id, seq)
);
CREATE INDEX ix_tariff_period_truce_term ON tariff_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE export_control (
    control_id              NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
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
    source_ids_json         NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_export_control_exporter ON export_control (exporter, control_id);

CREATE TABLE export_scope (
    exporter    NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    prefix      NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NOT NULL,
    control_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES export_control (control_id),
    PRIMARY KEY (exporter, prefix, control_id)
);

CREATE TABLE export_item (
    exporter    NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    name        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    control_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES export_control (control_id),
    PRIMARY KEY (exporter, name, control_id)
);

CREATE TABLE export_destination (
    destination  NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    control_id   NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES export_control (control_id),
    PRIMARY KEY (destination, control_id)
);

CREATE TABLE export_period (
    control_id        NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES export_control (control_id),
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
    PRIMARY KEY (control_id, seq)
);
CREATE INDEX ix_export_period_truce_term ON export_period (truce_term_id) WHERE truce_term_id IS NOT NULL;

CREATE TABLE truce (
    truce_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    title            NVARCHAR(MAX) NOT NULL,
    parties_json     NVARCHAR(MAX) NOT NULL,
    concluded_date   DATE NOT NULL,
    effective_date   DATE NOT NULL,
    confidence       NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    notes            NVARCHAR(MAX) NOT NULL,
    source_ids_json  NVARCHAR(MAX) NOT NULL
);

CREATE TABLE truce_party (
    party     NVARCHAR(2) COLLATE Latin1_General_100_BIN2 NOT NULL,
    truce_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES truce (truce_id),
    PRIMARY KEY (party, truce_id)
);

CREATE TABLE truce_extension (
    truce_id          NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES truce (truce_id),
    seq               INT NOT NULL,
    record_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    start_date        DATE NOT NULL,
    expiry_date       DATE NOT NULL,
    legal_instrument  NVARCHAR(MAX) NOT NULL,
    note              NVARCHAR(MAX) NOT NULL,
    PRIMARY KEY (truce_id, seq)
);

CREATE TABLE truce_term (
    term_id                  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    truce_id                 NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES truce (truce_id),
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
    confidence               NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL
);
CREATE INDEX ix_truce_term_truce ON truce_term (truce_id, seq);

CREATE TABLE policy_event (
    event_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    truce_id         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES truce (truce_id),
    seq              INT NOT NULL,
    event_date       DATE NOT NULL,
    actors_json      NVARCHAR(MAX) NOT NULL,
    subject          NVARCHAR(MAX) NOT NULL,
    description      NVARCHAR(MAX) NOT NULL,
    source_ids_json  NVARCHAR(MAX) NOT NULL,
    confidence       NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL
);
CREATE INDEX ix_policy_event_truce ON policy_event (truce_id, seq);
