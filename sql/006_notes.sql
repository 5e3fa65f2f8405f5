-- 006_notes.sql: private notes, messages the support team writes in a
-- conversation for each other.  A note is never shown to the
-- conversation's user, never unread, never the conversation's last
-- message; agents' and admins' histories show it in place.

ALTER TABLE messages
  ADD COLUMN isPrivate TINYINT(1) NOT NULL DEFAULT 0;
