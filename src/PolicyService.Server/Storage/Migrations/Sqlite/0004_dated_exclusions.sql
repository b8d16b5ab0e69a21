-- Exclusions of a product scope that hold only over a period of their own (an exemption added or withdrawn while the
-- measure ran), as the JSON array of {hsPrefix, startDate, endDate, basis} the record carries. Read whole with the
-- record, never searched by SQL: a version written before this column existed has none.
ALTER TABLE tariff_measure ADD COLUMN dated_exclusions_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE export_control ADD COLUMN dated_exclusions_json TEXT NOT NULL DEFAULT '[]';
