-- Downloads read attachments a slice at a time (substring): stored uncompressed out of line, a slice reads
-- only its own TOAST chunks instead of decompressing the whole file for each one. Applies to rows written
-- from now on; older rows still read correctly, only slower.
ALTER TABLE attachments ALTER COLUMN content SET STORAGE EXTERNAL;
