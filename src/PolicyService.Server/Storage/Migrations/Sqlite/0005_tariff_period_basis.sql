-- What a period's rate is charged on (the whole value, or only the metal or non-metal content) and the conditions the
-- duty depends on (a JSON array of sentences). Rows written before keep the defaults: full value, no conditions.
ALTER TABLE tariff_period ADD COLUMN rate_basis TEXT NOT NULL DEFAULT 'FULL_VALUE';
ALTER TABLE tariff_period ADD COLUMN conditions_json TEXT NOT NULL DEFAULT '[]';
