-- 001_schema.sql: the data model.  Applied by `chatadm migrate`, never by hand.
-- Column names are the wire names of ../shared/seed/flows.txt (isOnline,
-- assignedSupportId, messageType, mediaId, ...), so SQL, C and JSON agree.
-- All DATETIME(3) values are UTC (every connection sets time_zone '+00:00').
-- Each statement ends with ';' at the end of a line (the migration tool
-- splits there).

CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  phone VARCHAR(16) NOT NULL,
  name VARCHAR(100) NOT NULL,
  role ENUM('User','Support','Admin') NOT NULL DEFAULT 'User',
  passwordHash VARCHAR(255) NOT NULL,
  isOnline TINYINT(1) NOT NULL DEFAULT 0,
  lastSeen DATETIME(3) NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updatedAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY users_phone (phone),
  KEY users_role_online (role, isOnline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE media (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ownerId BIGINT UNSIGNED NOT NULL,
  name VARCHAR(255) NOT NULL,
  type ENUM('image','video','audio') NOT NULL,
  fileName VARCHAR(64) NOT NULL,
  format VARCHAR(64) NOT NULL,
  size BIGINT UNSIGNED NOT NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY media_fileName (fileName),
  KEY media_owner (ownerId),
  CONSTRAINT media_owner_fk FOREIGN KEY (ownerId) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE conversations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  userId BIGINT UNSIGNED NOT NULL,
  assignedSupportId BIGINT UNSIGNED NULL,
  status ENUM('open','pending','resolved') NOT NULL DEFAULT 'open',
  lastMessageId BIGINT UNSIGNED NULL,
  userUnreadCount INT UNSIGNED NOT NULL DEFAULT 0,
  supportUnreadCount INT UNSIGNED NOT NULL DEFAULT 0,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updatedAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY conversations_support_updated (assignedSupportId, updatedAt),
  KEY conversations_user_updated (userId, updatedAt),
  KEY conversations_updated (updatedAt),
  CONSTRAINT conversations_user_fk FOREIGN KEY (userId) REFERENCES users (id),
  CONSTRAINT conversations_support_fk FOREIGN KEY (assignedSupportId) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  conversationId BIGINT UNSIGNED NOT NULL,
  senderId BIGINT UNSIGNED NOT NULL,
  messageType ENUM('text','image','video','audio') NOT NULL,
  content TEXT NULL,
  mediaId BIGINT UNSIGNED NULL,
  isRead TINYINT(1) NOT NULL DEFAULT 0,
  readAt DATETIME(3) NULL,
  clientMessageId VARCHAR(64) NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY messages_conversation_id (conversationId, id),
  UNIQUE KEY messages_sender_client (senderId, clientMessageId),
  KEY messages_media (mediaId),
  CONSTRAINT messages_conversation_fk FOREIGN KEY (conversationId) REFERENCES conversations (id),
  CONSTRAINT messages_sender_fk FOREIGN KEY (senderId) REFERENCES users (id),
  CONSTRAINT messages_media_fk FOREIGN KEY (mediaId) REFERENCES media (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE conversations
  ADD CONSTRAINT conversations_last_message_fk FOREIGN KEY (lastMessageId) REFERENCES messages (id);

-- Logout: the jti of every revoked token until it would have expired anyway.
CREATE TABLE revoked_tokens (
  jti CHAR(32) NOT NULL,
  expiresAt DATETIME(3) NOT NULL,
  PRIMARY KEY (jti),
  KEY revoked_tokens_expires (expiresAt)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

-- Login throttling: the programs are stateless, so failures live here.
CREATE TABLE login_failures (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  phone VARCHAR(32) NOT NULL,
  ip VARCHAR(46) NOT NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY login_failures_phone (phone, createdAt),
  KEY login_failures_ip (ip, createdAt),
  KEY login_failures_created (createdAt)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
