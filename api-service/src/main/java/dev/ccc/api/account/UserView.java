package dev.ccc.api.account;

import java.time.Instant;
import java.util.Locale;

/** An account as the API shows it: never its password hash or TOTP secret. */
public record UserView(
    String id,
    String username,
    String displayName,
    String role,
    boolean active,
    boolean totpEnabled,
    Instant createdAt) {

  public static UserView of(User user) {
    return new UserView(
        user.getId(),
        user.getUsername(),
        user.getDisplayName(),
        user.getRole().name().toLowerCase(Locale.ROOT),
        user.isActive(),
        user.isTotpEnabled(),
        user.getCreatedAt());
  }
}
