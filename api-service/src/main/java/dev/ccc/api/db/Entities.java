package dev.ccc.api.db;

import dev.ccc.api.account.User;
import dev.ccc.api.activity.NotificationSettings;
import dev.ccc.api.arguments.ProfileArguments;
import dev.ccc.api.audit.AuditEntry;
import dev.ccc.api.auth.FailedLogins;
import dev.ccc.api.auth.Login;
import dev.ccc.api.auth.RefreshToken;
import dev.ccc.api.credential.Credential;
import dev.ccc.api.pat.PersonalAccessToken;
import dev.ccc.api.session.Session;
import dev.ccc.api.totp.BackupCode;
import dev.ccc.api.workspace.Workspace;
import java.util.List;

/**
 * Every entity class Hibernate maps. Without a Quarkus extension nothing scans for them: a new
 * entity goes here, and its table into a new migration under {@code db/migration}.
 */
final class Entities {
  static final List<Class<?>> ALL =
      List.of(
          User.class,
          AuditEntry.class,
          Login.class,
          FailedLogins.class,
          RefreshToken.class,
          PersonalAccessToken.class,
          BackupCode.class,
          Workspace.class,
          Session.class,
          Credential.class,
          ProfileArguments.class,
          NotificationSettings.class);

  private Entities() {}
}
