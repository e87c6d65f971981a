-- Users' own API keys for their agents (Anthropic, OpenAI, ...): sealed with the secret box, so a
-- copy of the database alone reveals none of them; the last four characters are kept in clear to
-- tell keys apart in a list. in_shells: the user asked for the key in every tab, not only in the
-- agents that take it.
CREATE TABLE credentials (
    id           CHAR(36)     NOT NULL PRIMARY KEY,
    user_id      CHAR(36)     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(64)  NOT NULL,
    sealed_value TEXT         NOT NULL,
    last_four    VARCHAR(4)   NOT NULL,
    in_shells    BOOLEAN      NOT NULL,
    updated_at   BIGINT       NOT NULL,
    UNIQUE (user_id, name)
);
