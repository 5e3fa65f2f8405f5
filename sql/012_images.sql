-- 012_images.sql: an image upload is stored as a display version (fileName,
-- at most 1600 px on the long side) and a thumbnail (thumbFileName, at most
-- 320 px), both re-encoded without metadata; width and height are the
-- display version's.  All three are NULL for video and audio, and for the
-- images stored before this migration (they keep being served as they are,
-- their thumbnail is the file itself).

ALTER TABLE media
  ADD COLUMN thumbFileName VARCHAR(64) NULL,
  ADD COLUMN width INT UNSIGNED NULL,
  ADD COLUMN height INT UNSIGNED NULL,
  ADD UNIQUE KEY media_thumbFileName (thumbFileName);
