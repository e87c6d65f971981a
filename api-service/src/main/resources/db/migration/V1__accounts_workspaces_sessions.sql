-- One script for SQLite and PostgreSQL, so only types both understand alike: CHAR(36) for UUIDs
-- (made in Java), VARCHAR/TEXT, BIGINT for instants (UTC milliseconds since the epoch; SQLite has
-- no timestamp type) and BOOLEAN (SQLite stores 0/1, Hibernate reads both back as booleans).
-- Credentials belong to their user and go with it; workspaces and sessions never vanish by cascade.

CREATE TABLE users (
    id                  CHAR(36)     NOT NULL PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL UNIQUE,
    display_name        VARCHAR(255),
    password_hash       VARCHAR(255) NOT NULL,
    role                VARCHAR(16)  NOT NULL CHECK (role IN ('admin', 'user')),
    active              BOOLEAN      NOT NULL,
    totp_secret         VARCHAR(255),
    totp_enabled        BOOLEAN      NOT NULL DEFAULT false,
    created_at          BIGINT       NOT NULL,
    updated_at          BIGINT       NOT NULL,
    password_changed_at BIGINT       NOT NULL
);

CREATE TABLE refresh_tokens (
    id         CHAR(36)     NOT NULL PRIMARY KEY,
    user_id    CHAR(36)     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash VARCHAR(128) NOT NULL UNIQUE,
    created_at BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);

CREATE TABLE personal_access_tokens (
    id           CHAR(36)     NOT NULL PRIMARY KEY,
    user_id      CHAR(36)     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(255) NOT NULL,
    token_hash   VARCHAR(128) NOT NULL UNIQUE,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX personal_access_tokens_user_id ON personal_access_tokens (user_id);

CREATE TABLE totp_backup_codes (
    id        CHAR(36)     NOT NULL PRIMARY KEY,
    user_id   CHAR(36)     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash VARCHAR(128) NOT NULL,
    used_at   BIGINT
);
CREATE INDEX totp_backup_codes_user_id ON totp_backup_codes (user_id);

-- No foreign key on actor_id: the record of what someone did outlives their account.
CREATE TABLE audit_log (
    id       CHAR(36)    NOT NULL PRIMARY KEY,
    at       BIGINT      NOT NULL,
    actor_id CHAR(36),
    action   VARCHAR(64) NOT NULL,
    target   VARCHAR(255),
    address  VARCHAR(64),
    detail   TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The unique (owner_id, slug) index also serves lookups by owner_id.
CREATE TABLE workspaces (
    id          CHAR(36)      NOT NULL PRIMARY KEY,
    owner_id    CHAR(36)      NOT NULL REFERENCES users (id),
    name        VARCHAR(255)  NOT NULL,
    slug        VARCHAR(255)  NOT NULL,
    description TEXT,
    source_url  VARCHAR(2048),
    branch      VARCHAR(255),
    state       VARCHAR(32)   NOT NULL,
    error       TEXT,
    created_at  BIGINT        NOT NULL,
    updated_at  BIGINT        NOT NULL,
    UNIQUE (owner_id, slug)
);

-- No cascade from workspaces: a workspace with sessions cannot be deleted.
CREATE TABLE sessions (
    id           CHAR(36)     NOT NULL PRIMARY KEY,
    owner_id     CHAR(36)     NOT NULL REFERENCES users (id),
    workspace_id CHAR(36)     NOT NULL REFERENCES workspaces (id),
    name         VARCHAR(255) NOT NULL,
    state        VARCHAR(32)  NOT NULL,
    error        TEXT,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    started_at   BIGINT
);
CREATE INDEX sessions_owner_id ON sessions (owner_id);
CREATE INDEX sessions_workspace_id ON sessions (workspace_id);
