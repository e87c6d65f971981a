-- The extra arguments each user adds to a profile's command (Claude Code's --model, say), as the
-- text of a JSON array; checked against the options the profile allows when set and again by the
-- pty-service at every launch.
CREATE TABLE profile_arguments (
    id         CHAR(36)    NOT NULL PRIMARY KEY,
    user_id    CHAR(36)    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    profile    VARCHAR(32) NOT NULL,
    arguments  TEXT        NOT NULL,
    updated_at BIGINT      NOT NULL,
    UNIQUE (user_id, profile)
);
