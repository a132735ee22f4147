-- A category's page of articles newest first (ListArticles by chuyên mục, a prepared statement): an index that
-- holds the category, the status and the whole keyset order, so a page is a range scan of as many entries as it
-- has rows (the old (category_key, sort_time) index had neither status nor seq: every page sorted the category).
CREATE INDEX articles_category_newest ON articles (category_key, status, sort_time DESC, seq DESC);
DROP INDEX articles_category;
