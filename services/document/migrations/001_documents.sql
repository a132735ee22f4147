-- Documents (văn bản) of the document service. Text columns hold NFC; *_key columns hold the folded
-- (accent- and case-free) forms the service computes with the same function it uses for queries.
CREATE TABLE documents (
  id                uuid PRIMARY KEY,
  seq               bigserial NOT NULL UNIQUE,        -- creation order; ties within one issue date
  code              text NOT NULL,                    -- số/ký hiệu as written, "998/QĐ-SGDĐT"
  code_key          text NOT NULL,                    -- "998/qd-sgddt"
  number            text NOT NULL,                    -- số as written, "05"
  number_value      bigint NOT NULL,
  symbol            text NOT NULL,                    -- ký hiệu
  code_form         smallint NOT NULL,
  type_abbreviation text NOT NULL,                    -- "QĐ"; '' for công văn
  type_key          text NOT NULL,                    -- folded, "qd"
  type_name         text NOT NULL,                    -- loại văn bản
  issuer_code       text NOT NULL,                    -- "SGDĐT"
  issuer_key        text NOT NULL,                    -- "sgddt"
  issuer_name       text NOT NULL,                    -- cơ quan ban hành
  drafting_unit     text NOT NULL,                    -- đơn vị soạn thảo
  issue_date        date NOT NULL,                    -- ngày ban hành
  issue_year        integer NOT NULL,
  effective_date    date,                             -- ngày hiệu lực
  expiry_date       date,                             -- ngày hết hiệu lực
  subject           text NOT NULL,                    -- trích yếu
  body              text NOT NULL,
  fields            text[] NOT NULL,                  -- lĩnh vực
  field_keys        text[] NOT NULL,
  signer_name       text NOT NULL,                    -- người ký
  signer_key        text NOT NULL,
  signer_position   text NOT NULL,
  signer_authority  text NOT NULL,
  related_codes     text[] NOT NULL,
  replaces_codes    text[] NOT NULL,
  status            smallint NOT NULL,                -- 1 draft, 2 published, 3 withdrawn
  version           integer NOT NULL DEFAULT 1,       -- the etag
  view_count        bigint NOT NULL DEFAULT 0,
  download_count    bigint NOT NULL DEFAULT 0,
  withdraw_reason   text NOT NULL DEFAULT '',
  search_vector     tsvector NOT NULL,
  created_by        text NOT NULL,
  updated_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at      timestamptz,
  CHECK (expiry_date IS NULL OR expiry_date >= issue_date),
  CHECK (number_value > 0),
  CHECK (char_length(subject) <= 500)
);
-- A code is unique per issuer per year (NĐ 30/2020 Điều 15.1).
CREATE UNIQUE INDEX documents_code_per_issuer_year ON documents (issuer_key, issue_year, code_key);
CREATE INDEX documents_code_key ON documents (code_key);
CREATE INDEX documents_newest ON documents (status, issue_date DESC, seq DESC);
CREATE INDEX documents_field_keys ON documents USING gin (field_keys);
CREATE INDEX documents_search ON documents USING gin (search_vector);

CREATE TABLE attachments (
  id             uuid PRIMARY KEY,
  document_id    uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  file_name      text NOT NULL,
  media_type     text NOT NULL,
  size_bytes     bigint NOT NULL,
  sha256         text NOT NULL,
  content        bytea NOT NULL,
  download_count bigint NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX attachments_document ON attachments (document_id, created_at);

-- (create_requests, the requests a repeat replays, is the platform's: platform_004_create_requests.)
