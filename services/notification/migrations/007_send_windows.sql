-- Send windows (khung giờ gửi) replace quiet hours as stored: per weekday [start, end) in minutes after local
-- midnight (Asia/Ho_Chi_Minh), flattened as (weekday 1–7, start 0–1439, end 1–1440) triples in weekday and start
-- order; empty: always open. Quiet hours become the windows they are the shorthand of (every day open outside
-- them), the API derives them back (rules/send_windows.h). At most 35 windows.
ALTER TABLE subscribers ADD COLUMN send_windows smallint[] NOT NULL DEFAULT '{}'
  CHECK (cardinality(send_windows) % 3 = 0 AND cardinality(send_windows) <= 105);

UPDATE subscribers s SET send_windows = w.flat
FROM (
  SELECT id, array_agg(v ORDER BY day, part, k) AS flat
  FROM (
    SELECT id, day, part, k, v
    FROM subscribers,
         generate_series(1, 7) AS day,
         LATERAL (VALUES
           -- quiet within a day (12:00–13:00): open before it (unless it starts at 00:00) and after it
           (1, quiet_start < quiet_end AND quiet_start > 0, ARRAY[day, 0, quiet_start]),
           (2, quiet_start < quiet_end, ARRAY[day, quiet_end, 1440]),
           -- quiet across midnight (22:00–06:00): open from its end to its start
           (1, quiet_start > quiet_end, ARRAY[day, quiet_end, quiet_start])
         ) AS parts(part, keep, triple),
         LATERAL unnest(triple) WITH ORDINALITY AS t(v, k)
    WHERE quiet_start IS NOT NULL AND quiet_end IS NOT NULL AND keep
  ) x
  GROUP BY id
) w
WHERE s.id = w.id;

ALTER TABLE subscribers DROP COLUMN quiet_start, DROP COLUMN quiet_end;

-- Public holidays (ngày nghỉ lễ), loaded per year by an operator (ImportHolidays): whole local days on which no
-- webhook or e-mail goes out. At most 60 a year (the service checks).
CREATE TABLE holidays (
  day          date PRIMARY KEY,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  created_at   timestamptz NOT NULL DEFAULT now()
);
