-- How often a delivery was claimed. A claim either ends in a recorded attempt (attempt_count), is handed back
-- unattempted (the count goes down again), or is lost: its worker died or stalled mid-attempt and the lease
-- passed. claims - attempt_count - 1 at a claim is how many earlier claims were lost; a delivery that keeps
-- losing its worker (one whose attempt crashes the process, say) becomes a dead letter instead of a crash loop.
ALTER TABLE deliveries ADD COLUMN claims integer NOT NULL DEFAULT 0;
