-- 002_authority_limits.sql: who may still use a token, and the rate limits
-- that the stateless FastCGI processes and pushd share.

-- A password, role or disable change revokes the account's tokens issued
-- before it (milliseconds since the epoch; 0: none revoked this way).
ALTER TABLE users
  ADD COLUMN tokensValidAfter BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN disabled TINYINT(1) NOT NULL DEFAULT 0;

-- One row per limited thing ("send:<userId>", "register:<address>",
-- "login:<phone>|<address>", ...): the theoretical arrival time of its
-- next event (GCRA), microseconds since the epoch.  A row whose time has
-- passed is a full bucket, so any such row may be deleted at any time.
CREATE TABLE rate_buckets (
  k VARBINARY(160) NOT NULL,
  tat BIGINT NOT NULL,
  PRIMARY KEY (k),
  KEY rate_buckets_tat (tat)
) ENGINE=InnoDB;
