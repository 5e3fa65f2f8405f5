-- 005_routing.sql: the queue a conversation waits in when no agent can
-- take it (first come, first served: queuedAt is when it last entered),
-- and activity entries (who resolved, snoozed, took or transferred what)
-- stored in the conversation's timeline as messages of their own type.

ALTER TABLE conversations
  ADD COLUMN queuedAt DATETIME(3) NULL,
  ADD KEY conversations_queue (assignedSupportId, status, queuedAt);

UPDATE conversations SET queuedAt = createdAt
  WHERE assignedSupportId IS NULL AND status = 'pending';

-- An activity entry: messageType 'activity', content the English sentence,
-- activity the JSON a client renders in its own language; read from the
-- start (never unread); senderId the actor, NULL when routing did it.
ALTER TABLE messages
  MODIFY senderId BIGINT UNSIGNED NULL,
  MODIFY messageType ENUM('text','image','video','audio','activity') NOT NULL,
  ADD COLUMN activity TEXT NULL;
