-- Articles (tin tức) and reader comments (ý kiến bạn đọc) of the news service. Text columns hold NFC; *_key
-- columns hold the folded (accent- and case-free) forms the service computes with the same function it uses
-- for queries.
CREATE TABLE articles (
  id                     uuid PRIMARY KEY,
  seq                    bigserial NOT NULL UNIQUE,        -- creation order; ties within one sort_time
  title                  text NOT NULL,                    -- tiêu đề
  slug                   text NOT NULL UNIQUE,             -- đường dẫn tĩnh
  lead                   text NOT NULL,                    -- phần mở đầu
  body                   text NOT NULL,                    -- nội dung
  author                 text NOT NULL,                    -- tác giả
  source                 text NOT NULL,                    -- nguồn
  category               text NOT NULL,                    -- chuyên mục
  category_key           text NOT NULL,
  tags                   text[] NOT NULL,
  tag_keys               text[] NOT NULL,
  cover_uri              text NOT NULL,                    -- ảnh minh họa
  cover_caption          text NOT NULL,                    -- chú thích ảnh
  status                 smallint NOT NULL,                -- 1 draft, 2 scheduled, 3 published, 4 archived
  publish_time           timestamptz,                      -- thời gian đăng (or the scheduled time)
  view_count_base        bigint NOT NULL DEFAULT 0,        -- an imported count; views add up in article_view_shards
  comments_enabled       boolean NOT NULL,
  related_document_codes text[] NOT NULL,                  -- văn bản liên quan, as the document service writes them
  version                integer NOT NULL DEFAULT 1,       -- the etag
  search_vector          tsvector NOT NULL,
  created_by             text NOT NULL,
  updated_by             text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  sort_time              timestamptz GENERATED ALWAYS AS (COALESCE(publish_time, created_at)) STORED,
  CHECK (status BETWEEN 1 AND 4),
  CHECK (status <> 2 OR publish_time IS NOT NULL),
  CHECK (view_count_base >= 0)
);
CREATE INDEX articles_newest ON articles (status, sort_time DESC, seq DESC);
CREATE INDEX articles_due ON articles (publish_time) WHERE status = 2;
CREATE INDEX articles_category ON articles (category_key, sort_time DESC);
CREATE INDEX articles_tags ON articles USING gin (tag_keys);
CREATE INDEX articles_search ON articles USING gin (search_vector);

-- Views (lượt xem): each RecordView adds one to a random one of 16 rows of its article, so a burst on one
-- article spreads over 16 rows instead of queueing on one; an article's count is view_count_base plus the
-- sum of its shards. No foreign key: a key-share lock on the article row per view would bring the hot row back.
CREATE TABLE article_view_shards (
  article_id uuid NOT NULL,
  shard      smallint NOT NULL,
  count      bigint NOT NULL,
  PRIMARY KEY (article_id, shard)
);

CREATE TABLE comments (
  id           uuid PRIMARY KEY,
  seq          bigserial NOT NULL UNIQUE,
  article_id   uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  author_name  text NOT NULL,                     -- họ tên
  email        text NOT NULL,                     -- never shown to readers
  email_key    text NOT NULL,                     -- lower case; the rate limit counts by it
  content      text NOT NULL,
  status       smallint NOT NULL,                 -- 1 pending, 2 approved, 3 rejected, 4 spam
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  moderated_at timestamptz,
  moderated_by text NOT NULL DEFAULT '',
  CHECK (status BETWEEN 1 AND 4)
);
CREATE INDEX comments_article ON comments (article_id, status, seq);
CREATE INDEX comments_status ON comments (status, seq);
CREATE INDEX comments_sender ON comments (email_key, created_at);

-- (create_requests, the requests a repeat replays, is the platform's: platform_004_create_requests.)
