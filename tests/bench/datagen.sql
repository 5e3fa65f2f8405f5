-- datagen.sql - fills the chat schema for benchmarks, fast: rows come from
-- MariaDB's SEQUENCE engine (seq_1_to_N) in multi-row INSERT ... SELECT,
-- with no client round trip per row.  Sizes come from user variables set
-- by the caller (tests/bench/run.sh):
--   @agents, @users (one conversation each), @msgs (spread over all
--   conversations), @big (extra messages in the first conversation),
--   @hash (one Argon2id hash shared by every generated account).
-- Generated phones: agents +9180xxxxxxxx, users +9181xxxxxxxx.

SET @s = CONCAT('INSERT INTO users (phone, name, role, passwordHash) ',
  'SELECT CONCAT(''+9180'', LPAD(seq, 8, ''0'')), CONCAT(''Agent '', seq), ''Support'', @hash ',
  'FROM seq_1_to_', @agents);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
SET @first_agent = (SELECT MIN(id) FROM users WHERE phone LIKE '+9180%');

SET @s = CONCAT('INSERT INTO users (phone, name, role, passwordHash) ',
  'SELECT CONCAT(''+9181'', LPAD(seq, 8, ''0'')), CONCAT(''Farmer '', seq), ''User'', @hash ',
  'FROM seq_1_to_', @users);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
SET @first_user = (SELECT MIN(id) FROM users WHERE phone LIKE '+9181%');

-- One conversation per user, agents round robin.
SET @s = CONCAT('INSERT INTO conversations (userId, assignedSupportId, status) ',
  'SELECT @first_user + seq - 1, @first_agent + (seq - 1) % ', @agents, ', ''open'' ',
  'FROM seq_1_to_', @users);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
SET @first_conv = (SELECT MIN(id) FROM conversations WHERE userId >= @first_user);

-- Messages: alternate user and agent, spread over the conversations.
SET @s = CONCAT('INSERT INTO messages (conversationId, senderId, messageType, content, isRead, createdAt) ',
  'SELECT @first_conv + (seq - 1) % ', @users, ', ',
  'IF(seq % 2 = 0, @first_user + (seq - 1) % ', @users, ', @first_agent + ((seq - 1) % ', @users, ') % ', @agents, '), ',
  '''text'', CONCAT(''Message number '', seq, '' about the wheat crop''), 1, ',
  'CURRENT_TIMESTAMP(3) - INTERVAL (', @msgs, ' - seq) SECOND ',
  'FROM seq_1_to_', @msgs);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;

SET @s = CONCAT('INSERT INTO messages (conversationId, senderId, messageType, content, isRead, createdAt) ',
  'SELECT @first_conv, IF(seq % 2 = 0, @first_user, @first_agent), ''text'', ',
  'CONCAT(''Long thread message '', seq), 1, CURRENT_TIMESTAMP(3) - INTERVAL (', @big, ' - seq) SECOND ',
  'FROM seq_1_to_', @big);
PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;

UPDATE conversations c SET lastMessageId = (SELECT MAX(id) FROM messages m WHERE m.conversationId = c.id),
  updatedAt = CURRENT_TIMESTAMP(3) - INTERVAL (c.id % 86400) SECOND
  WHERE c.id >= @first_conv;
ANALYZE TABLE users, conversations, messages;
