-- A login is what one sign-in starts: its refresh tokens rotate within it, its access tokens name
-- it (claim "sid"), and revoking it ends all of them at once. refresh_tokens had no rows yet, so it
-- is recreated with the login it belongs to rather than altered (SQLite cannot add a NOT NULL
-- foreign key to an existing table).
CREATE TABLE logins (
    id           CHAR(36)    NOT NULL PRIMARY KEY,
    user_id      CHAR(36)    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address      VARCHAR(64),
    created_at   BIGINT      NOT NULL,
    refreshed_at BIGINT      NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX logins_user_id ON logins (user_id);

DROP TABLE refresh_tokens;
CREATE TABLE refresh_tokens (
    id         CHAR(36)     NOT NULL PRIMARY KEY,
    login_id   CHAR(36)     NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    token_hash VARCHAR(128) NOT NULL UNIQUE,
    created_at BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_login_id ON refresh_tokens (login_id);

-- The newest TOTP time step accepted, so a code cannot be replayed within its window.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
