-- Points per scored criterion (a framework leaf) of a published result, for the what-if improvement plan:
-- written at publication from the appraised scores, or from imported per-criterion points.
CREATE TABLE result_criteria (
  period_id      bigint NOT NULL,
  unit_code      text NOT NULL,
  criterion_code text NOT NULL,
  points         numeric(7,2) NOT NULL CHECK (points >= 0),
  PRIMARY KEY (period_id, unit_code, criterion_code),
  FOREIGN KEY (period_id, unit_code) REFERENCES results (period_id, unit_code)
);
