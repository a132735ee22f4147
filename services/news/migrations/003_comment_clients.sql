-- The client a trusted portal named for a comment (SHA-256 hex of its x-cchc-client-id; '' when none): the
-- per-client comment limit counts by it. Pending comments per article are counted on comments_article.
ALTER TABLE comments ADD COLUMN client_key text NOT NULL DEFAULT '';
CREATE INDEX comments_client ON comments (client_key, created_at) WHERE client_key <> '';
