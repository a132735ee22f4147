-- The outgoing register (sổ văn bản đi, NĐ 30/2020 Điều 15): per issuer and year, the document types it numbers,
-- and every number it handed out. A number is allocated by bumping registers.last_number (a row lock) in the
-- transaction that inserts its reservation, so numbers have no gap and no duplicate across replicas.
CREATE TABLE registers (
  id                   uuid PRIMARY KEY,
  seq                  bigserial NOT NULL UNIQUE,
  display_name         text NOT NULL,
  issuer_code          text NOT NULL,                  -- as in codes, "SGDĐT"
  issuer_key           text NOT NULL,                  -- folded, "sgddt"
  year                 integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  type_abbreviations   text[] NOT NULL,                -- administrative types, "QĐ", "KH"
  official_letters     boolean NOT NULL,               -- công văn
  legal_normative_type text NOT NULL,                  -- one VBQPPL type, or ''
  last_number          bigint NOT NULL DEFAULT 0 CHECK (last_number >= 0),
  created_by           text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX registers_issuer_year ON registers (issuer_key, year DESC, seq);

-- What each register numbers, one row per kind ("t:qd" an administrative type, "cv" công văn, "l:qd" a VBQPPL
-- type): one register per issuer, year and kind.
CREATE TABLE register_kinds (
  register_id uuid NOT NULL REFERENCES registers (id) ON DELETE CASCADE,
  issuer_key  text NOT NULL,
  year        integer NOT NULL,
  kind        text NOT NULL,
  PRIMARY KEY (issuer_key, year, kind)
);

-- Every number handed out: 1 reserved, 2 used (by document_id), 3 cancelled (expired: unused too long). Never
-- deleted, so a number is never handed out twice.
CREATE TABLE register_reservations (
  register_id uuid NOT NULL REFERENCES registers (id),
  number      bigint NOT NULL CHECK (number > 0),
  state       smallint NOT NULL CHECK (state BETWEEN 1 AND 3),
  document_id uuid REFERENCES documents (id) ON DELETE SET NULL,
  reserved_by text NOT NULL,
  reserved_at timestamptz NOT NULL,
  used_at     timestamptz,
  cancelled_at timestamptz,
  expired     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (register_id, number)
);
-- The scheduler's expiry scan.
CREATE INDEX register_reservations_reserved ON register_reservations (reserved_at) WHERE state = 1;
CREATE UNIQUE INDEX register_reservations_document ON register_reservations (document_id) WHERE document_id IS NOT NULL;
