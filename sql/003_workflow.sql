-- 003_workflow.sql: a conversation's workflow - resolved and snoozed, and
-- when.  A snoozed conversation reopens at snoozedUntil (pushd wakes it)
-- or on a new message from its user; a resolved one on a new message from
-- its user.

ALTER TABLE conversations
  MODIFY status ENUM('open','pending','resolved','snoozed') NOT NULL DEFAULT 'open',
  ADD COLUMN snoozedUntil DATETIME(3) NULL,
  ADD COLUMN resolvedAt DATETIME(3) NULL,
  ADD KEY conversations_snoozed (status, snoozedUntil);
