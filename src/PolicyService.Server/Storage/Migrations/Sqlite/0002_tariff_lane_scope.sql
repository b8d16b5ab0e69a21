-- Duty lookups seek by importer, origin and HS prefix together, so their cost follows the measures of the lane asked
-- about, not every origin's measures under the same prefix. One row per (scope prefix, origin) of each measure
-- version; origin '' stands for a measure that applies to all origins. Append-only, like every versioned table;
-- tariff_scope stays for filters that do not name an origin (ListTariffMeasures).
CREATE TABLE tariff_lane_scope (
    importer    TEXT NOT NULL,
    origin      TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    measure_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (importer, origin, prefix, measure_id, version)
) WITHOUT ROWID;

INSERT INTO tariff_lane_scope (importer, origin, prefix, measure_id, version)
SELECT s.importer, o.origin, s.prefix, s.measure_id, s.version
FROM tariff_scope s
JOIN tariff_origin o ON o.measure_id = s.measure_id AND o.version = s.version;

INSERT INTO tariff_lane_scope (importer, origin, prefix, measure_id, version)
SELECT s.importer, '', s.prefix, s.measure_id, s.version
FROM tariff_scope s
JOIN tariff_measure m ON m.measure_id = s.measure_id AND m.version = s.version
WHERE m.all_origins = 1;
