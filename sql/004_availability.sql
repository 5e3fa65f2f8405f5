-- 004_availability.sql: an agent's availability and capacity, for the
-- team's view of who can take work (and, next, routing).

ALTER TABLE users
  ADD COLUMN availability ENUM('online','busy','offline') NOT NULL DEFAULT 'online',
  ADD COLUMN capacity INT UNSIGNED NULL;
