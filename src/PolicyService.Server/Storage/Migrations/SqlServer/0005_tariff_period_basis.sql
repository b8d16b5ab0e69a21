-- What a period's rate is charged on (the whole value, or only the metal or non-metal content) and the conditions the
-- duty depends on (a JSON array of sentences). Rows written before keep the defaults: full value, no conditions.
ALTER TABLE tariff_period ADD rate_basis NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL
    CONSTRAINT df_tariff_period_rate_basis DEFAULT 'FULL_VALUE';
ALTER TABLE tariff_period ADD conditions_json NVARCHAR(MAX) NOT NULL
    CONSTRAINT df_tariff_period_conditions DEFAULT '[]';
