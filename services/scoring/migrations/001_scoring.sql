-- The scoring service (chỉ số CCHC, PAR INDEX). Points are NUMERIC(7,2): exact, two places.
-- Unit kinds: 1 department (sở, ngành), 2 district (huyện), 3 subordinate unit (đơn vị trực thuộc), 4 province.

-- Frameworks (bộ chỉ số): versions of one code; the tree lives in framework_nodes.
CREATE TABLE frameworks (
  id         bigserial PRIMARY KEY,
  code       text NOT NULL,
  version    integer NOT NULL CHECK (version > 0),
  title      text NOT NULL,
  unit_kind  smallint NOT NULL CHECK (unit_kind BETWEEN 1 AND 4),
  year       integer NOT NULL,
  source     text NOT NULL DEFAULT '',
  total_max  numeric(7,2) NOT NULL CHECK (total_max >= 0),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (code, version)
);

-- The tree in pre-order: level 0 a field (lĩnh vực), 1 a criterion (tiêu chí), 2 a sub-criterion (tiêu chí
-- thành phần); each node's parent is the nearest preceding node one level up.
CREATE TABLE framework_nodes (
  framework_id      bigint NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
  position          integer NOT NULL,
  level             smallint NOT NULL CHECK (level BETWEEN 0 AND 2),
  code              text NOT NULL,
  name              text NOT NULL,
  max_points        numeric(7,2) NOT NULL CHECK (max_points >= 0),
  rule              smallint NOT NULL,  -- 0 not scored directly, 1 range, 2 yes/no, 3 survey
  evidence_required boolean NOT NULL,
  scoring_guide     text NOT NULL DEFAULT '',
  PRIMARY KEY (framework_id, position),
  UNIQUE (framework_id, code)
);

-- Units (đơn vị) assessed.
CREATE TABLE units (
  code         text PRIMARY KEY,
  display_name text NOT NULL,
  kind         smallint NOT NULL CHECK (kind BETWEEN 1 AND 4),
  parent       text NOT NULL DEFAULT '',
  sample_data  boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX units_kind ON units (kind, code);

-- Assessment periods (kỳ đánh giá): 1 open, 2 self-assessment, 3 appraisal, 4 published, 5 closed.
CREATE TABLE periods (
  id                       bigserial PRIMARY KEY,
  year                     integer NOT NULL,
  framework_id             bigint NOT NULL REFERENCES frameworks (id),
  unit_kind                smallint NOT NULL,
  title                    text NOT NULL,
  self_assessment_deadline date,
  appraisal_deadline       date,
  state                    smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 5),
  imported                 boolean NOT NULL DEFAULT false,
  created_by               text NOT NULL,
  created_at               timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at               timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (year, unit_kind)
);

-- A unit's assessment in a period: 1 draft, 2 submitted, 3 appraised.
CREATE TABLE assessments (
  period_id    bigint NOT NULL REFERENCES periods (id),
  unit_code    text NOT NULL REFERENCES units (code),
  state        smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 3),
  submitted_by text NOT NULL DEFAULT '',
  submitted_at timestamptz,
  appraised_by text NOT NULL DEFAULT '',
  appraised_at timestamptz,
  PRIMARY KEY (period_id, unit_code)
);

-- Per scored criterion: the self-score with its explanation and evidence, then the appraised score.
CREATE TABLE scores (
  period_id               bigint NOT NULL,
  unit_code               text NOT NULL,
  criterion_code          text NOT NULL,
  self_points             numeric(7,2) CHECK (self_points >= 0),
  explanation             text NOT NULL DEFAULT '',     -- giải trình
  evidence_document_codes text[] NOT NULL DEFAULT '{}', -- tài liệu kiểm chứng, số/ký hiệu
  evidence_attachments    text[] NOT NULL DEFAULT '{}',
  appraised_points        numeric(7,2) CHECK (appraised_points >= 0),
  appraisal_comment       text NOT NULL DEFAULT '',
  updated_at              timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (period_id, unit_code, criterion_code),
  FOREIGN KEY (period_id, unit_code) REFERENCES assessments (period_id, unit_code)
);

-- Published results, frozen at publication with the comparison to the previous year's published period.
CREATE TABLE results (
  period_id      bigint NOT NULL REFERENCES periods (id),
  unit_code      text NOT NULL REFERENCES units (code),
  total          numeric(7,2) NOT NULL CHECK (total >= 0),
  rank           integer NOT NULL CHECK (rank > 0),
  ranked_units   integer NOT NULL,
  previous_total numeric(7,2),
  previous_rank  integer,
  sample_data    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (period_id, unit_code)
);
CREATE INDEX results_rank ON results (period_id, rank, unit_code);

-- Points per field (lĩnh vực) of a published result, for the sub-indices.
CREATE TABLE result_fields (
  period_id  bigint NOT NULL,
  unit_code  text NOT NULL,
  field_code text NOT NULL,
  points     numeric(7,2) NOT NULL CHECK (points >= 0),
  PRIMARY KEY (period_id, unit_code, field_code),
  FOREIGN KEY (period_id, unit_code) REFERENCES results (period_id, unit_code)
);
