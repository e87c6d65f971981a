-- How each user wants to hear that an agent of theirs waits for them: a notice in the app, and the
-- browser's own notification while the app's page is hidden. No row: both.
CREATE TABLE notification_settings (
    user_id    CHAR(36) NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    in_app     BOOLEAN  NOT NULL,
    desktop    BOOLEAN  NOT NULL,
    updated_at BIGINT   NOT NULL
);
