-- Every write of a document probes documents_replaces_keys (documents_replaced_by, migration 011: is the written
-- document, or one with its code, replaced?). With GIN's fast update every insert appends to the index's pending
-- list, which each probe then reads whole: 11 buffers and 0.06 ms a probe on 5,000 documents against 2 buffers and
-- 0.009 ms without it (EXPLAIN (ANALYZE, BUFFERS), BENCHMARKS.md's Writes). Nearly every document replaces nothing,
-- so an insert's entry in the tree costs little.
ALTER INDEX documents_replaces_keys SET (fastupdate = off);
SELECT gin_clean_pending_list('documents_replaces_keys'::regclass);
