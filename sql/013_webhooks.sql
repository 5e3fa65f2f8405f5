-- 013_webhooks.sql: reaching a farmer who is away (docs/configuration.md,
-- [notify]): an agent's message the user has not read notify.offline_after
-- seconds after it was sent, while they have no socket, is handed once to
-- an outside gateway (SMS, WhatsApp) by `chatadm notify`.  One row per
-- message: its primary key is what makes it once.

CREATE TABLE webhook_deliveries (
  messageId BIGINT UNSIGNED NOT NULL,
  conversationId BIGINT UNSIGNED NOT NULL,
  -- pending: due at nextAttemptAt; sending: claimed by a sender at
  -- claimedAt; sent; failed: out of attempts; dropped: read or online
  -- again before it went.
  state ENUM('pending','sending','sent','failed','dropped') NOT NULL DEFAULT 'pending',
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  nextAttemptAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  claimedAt DATETIME(3) NULL,
  lastStatus INT NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  sentAt DATETIME(3) NULL,
  PRIMARY KEY (messageId),
  KEY webhook_due (state, nextAttemptAt),
  CONSTRAINT webhook_message_fk FOREIGN KEY (messageId) REFERENCES messages (id),
  CONSTRAINT webhook_conversation_fk FOREIGN KEY (conversationId) REFERENCES conversations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
