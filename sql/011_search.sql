-- 011_search.sql: message text searched by words (GET /api/v1/chat/search).
-- InnoDB's FULLTEXT parser splits on what is not a letter or digit in
-- any script, so Hindi and English text are both found.

ALTER TABLE messages ADD FULLTEXT KEY messages_content_ft (content);
