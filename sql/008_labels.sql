-- 008_labels.sql: labels an admin defines (a name and a colour) and the
-- conversations agents tag with them.  Names are unique without regard to
-- case: nameKey is the name in lower case, compared byte for byte (the
-- table's collation would also fold accents and ignore some Devanagari
-- marks, and so refuse names that differ).

CREATE TABLE labels (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(40) NOT NULL,
  nameKey VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin AS (LOWER(name)) PERSISTENT,
  color CHAR(7) CHARACTER SET ascii NOT NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY labels_name (nameKey)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A conversation's labels; a page of conversations reads its labels with
-- one look-up by the primary key, the ?label= filter by labelId.
CREATE TABLE conversation_labels (
  conversationId BIGINT UNSIGNED NOT NULL,
  labelId BIGINT UNSIGNED NOT NULL,
  createdAt DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (conversationId, labelId),
  KEY conversation_labels_label (labelId, conversationId),
  CONSTRAINT conversation_labels_conversation_fk FOREIGN KEY (conversationId) REFERENCES conversations (id) ON DELETE CASCADE,
  CONSTRAINT conversation_labels_label_fk FOREIGN KEY (labelId) REFERENCES labels (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
