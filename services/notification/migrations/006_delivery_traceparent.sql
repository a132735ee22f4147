-- The W3C traceparent of the event a delivery came from (the consumer's span of it, platform/trace_context.h):
-- each webhook attempt sends a child of it as its traceparent header. NULL for digests and for rows written
-- before; those attempts start a trace of their own. Always a version-00 header, 55 characters.
ALTER TABLE deliveries ADD COLUMN traceparent text CHECK (char_length(traceparent) <= 55);
