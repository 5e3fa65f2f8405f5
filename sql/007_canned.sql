-- 007_canned.sql: canned responses, the shared replies an agent inserts
-- in the composer by typing "/" and their shortCode; admins manage them.
-- shortCode is 1-32 of a-z0-9_- (checked by lib/canned.c) and compared
-- byte for byte; content is capped like a message
-- (limits.max_message_length, at most 65535 bytes: a TEXT).

CREATE TABLE canned_responses (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  shortCode VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  content TEXT NOT NULL,
  createdBy BIGINT UNSIGNED NOT NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updatedAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY canned_responses_shortCode (shortCode),
  CONSTRAINT canned_responses_createdBy_fk FOREIGN KEY (createdBy) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
