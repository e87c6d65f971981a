-- The login throttle keeps one row per throttle key (an account name or a client address) instead
-- of one per failure: how many recent attempts failed and when the latest was. Admitting an
-- attempt is then one conditional UPDATE of that row, so concurrent guesses cannot all pass the
-- check before any is counted (see LoginThrottle and docs/decisions/0012). The old rows are only
-- minutes of history and are dropped.
DROP TABLE login_failures;
CREATE TABLE login_failures (
    throttle_key    VARCHAR(128) NOT NULL PRIMARY KEY,
    failures        INTEGER      NOT NULL,
    last_attempt_at BIGINT       NOT NULL
);
-- For forgetting keys that have been quiet long enough, by age across all keys.
CREATE INDEX login_failures_last_attempt ON login_failures (last_attempt_at);
