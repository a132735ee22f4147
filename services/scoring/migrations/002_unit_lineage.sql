-- Units across mergers, splits and renames (the 2025 reorganisation: 63 provinces → 34, Nghị quyết
-- 202/2025/QH15). Validity dates are inclusive; NULL is open. A ranking of year Y holds the units valid on
-- 31 December of Y.
ALTER TABLE units ADD COLUMN valid_from date, ADD COLUMN valid_to date,
  ADD CONSTRAINT units_validity CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to);

-- One row per predecessor → successor link of a change: 1 merge (sáp nhập), 2 split (chia tách), 3 rename
-- (đổi tên). A unit ends in at most one change.
CREATE TABLE unit_lineage (
  predecessor    text NOT NULL REFERENCES units (code),
  successor      text NOT NULL REFERENCES units (code),
  change_kind    smallint NOT NULL CHECK (change_kind BETWEEN 1 AND 3),
  effective_date date NOT NULL,
  source         text NOT NULL DEFAULT '',
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (predecessor, successor),
  CHECK (predecessor <> successor)
);
CREATE INDEX unit_lineage_successor ON unit_lineage (successor);

-- A published result of a unit a merge or a split made: its predecessors' results in the previous year's
-- ranking, frozen at publication like the rest (has_result false: the predecessor was not ranked then).
CREATE TABLE result_predecessors (
  period_id    bigint NOT NULL,
  unit_code    text NOT NULL,
  predecessor  text NOT NULL REFERENCES units (code),
  change_kind  smallint NOT NULL CHECK (change_kind BETWEEN 1 AND 3),
  total        numeric(7,2),
  rank         integer,
  ranked_units integer,
  PRIMARY KEY (period_id, unit_code, predecessor),
  FOREIGN KEY (period_id, unit_code) REFERENCES results (period_id, unit_code)
);
