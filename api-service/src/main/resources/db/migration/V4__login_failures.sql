-- Failed logins, one row per account name and one per client address for each failure, so that
-- every api-service replica sharing the database sees the same counts (see LoginThrottle). Rows
-- older than the throttle's window are deleted whenever a failure is recorded.
CREATE TABLE login_failures (
    id           CHAR(36)     NOT NULL PRIMARY KEY,
    throttle_key VARCHAR(128) NOT NULL,
    failed_at    BIGINT       NOT NULL
);
CREATE INDEX login_failures_key_time ON login_failures (throttle_key, failed_at);
-- For the pruning, which deletes by age across all keys.
CREATE INDEX login_failures_time ON login_failures (failed_at);
