-- 009_satisfaction.sql: what the reports read (docs/api.md, "Reports"):
-- when a conversation first got an answer, its users' ratings (one per
-- resolution: a conversation resolved, reopened and resolved again is
-- rated again), and the indexes that keep each report a range scan.

ALTER TABLE conversations
  ADD COLUMN firstResponseAt DATETIME(3) NULL,
  ADD KEY conversations_created (createdAt),
  ADD KEY conversations_resolved (resolvedAt);

-- The first answer of the support team (not a note, not an entry).
UPDATE conversations c SET firstResponseAt = (
  SELECT MIN(m.createdAt) FROM messages m
  WHERE m.conversationId = c.id AND m.senderId <> c.userId
    AND m.messageType <> 'activity' AND m.isPrivate = 0);

ALTER TABLE messages ADD KEY messages_created (createdAt);

CREATE TABLE conversation_ratings (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  conversationId BIGINT UNSIGNED NOT NULL,
  userId BIGINT UNSIGNED NOT NULL,
  -- The agent of the resolution rated, and which resolution it was.
  supportId BIGINT UNSIGNED NULL,
  resolvedAt DATETIME(3) NOT NULL,
  score TINYINT UNSIGNED NOT NULL,
  comment TEXT NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY ratings_resolution (conversationId, resolvedAt),
  KEY ratings_created (createdAt),
  KEY ratings_support_created (supportId, createdAt),
  CONSTRAINT ratings_conversation_fk FOREIGN KEY (conversationId) REFERENCES conversations (id),
  CONSTRAINT ratings_user_fk FOREIGN KEY (userId) REFERENCES users (id),
  CONSTRAINT ratings_support_fk FOREIGN KEY (supportId) REFERENCES users (id),
  CONSTRAINT ratings_score CHECK (score BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
