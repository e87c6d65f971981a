package dev.ccc.api.audit;

import java.util.Locale;

/** What an audit-log row records; stored as the lower-case, dotted {@link #code()}. */
public enum AuditAction {
  LOGIN_SUCCEEDED,
  LOGIN_FAILED,
  LOGOUT,
  REFRESH_TOKEN_REUSED,
  PASSWORD_CHANGED,
  PASSWORD_RESET,
  TOTP_ENABLED,
  TOTP_DISABLED,
  ACCESS_TOKEN_CREATED,
  ACCESS_TOKEN_REVOKED,
  USER_CREATED,
  USER_UPDATED,
  WORKSPACE_CREATED,
  WORKSPACE_DELETED,
  SESSION_STARTED,
  SESSION_STOPPED,
  SESSION_DELETED,
  CREDENTIAL_SET,
  CREDENTIAL_DELETED,
  PROFILE_ARGUMENTS_SET,
  NOTIFICATIONS_CHANGED;

  /** For example {@code login.succeeded}, {@code access_token.created} or {@code logout}. */
  public String code() {
    String name = name().toLowerCase(Locale.ROOT);
    int split = name.lastIndexOf('_');
    return split < 0 ? name : name.substring(0, split) + "." + name.substring(split + 1);
  }
}
