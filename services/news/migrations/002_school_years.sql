-- Where an article's photo stands inside its body (after this many paragraphs; 0: only at the top), and the
-- school years (năm học) with their themes (chủ đề năm học) that the portal's header shows.
ALTER TABLE articles ADD COLUMN cover_after_paragraph integer NOT NULL DEFAULT 0
  CHECK (cover_after_paragraph BETWEEN 0 AND 1000);

CREATE TABLE school_years (
  name        text PRIMARY KEY,              -- 2017-2018
  start_date  date NOT NULL,                 -- first day
  end_date    date NOT NULL,                 -- last day, inclusive
  theme       text NOT NULL,                 -- chủ đề năm học (NFC)
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK (start_date <= end_date)
);
CREATE INDEX school_years_dates ON school_years (start_date, end_date);
