-- A session remembers what its first terminal runs, and counts its changes of state: every change
-- is an UPDATE conditional on the state or the version it expects (see SessionRepository), so of
-- two racing writers exactly one wins.
ALTER TABLE sessions ADD COLUMN profile VARCHAR(32) NOT NULL DEFAULT 'shell';
ALTER TABLE sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sessions_state ON sessions (state);
