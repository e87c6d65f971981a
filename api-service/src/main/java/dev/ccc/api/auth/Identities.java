package dev.ccc.api.auth;

import dev.ccc.api.account.User;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.Set;

/**
 * Builds the identity of an authenticated request the same way for every kind of credential: the
 * principal's name is the user id, the roles are the account's current ones (from the database, not
 * from the token), and the credential's id rides along for revocation and tickets.
 */
public final class Identities {
  static final String CREDENTIAL_ATTRIBUTE = "ccc.credential";
  static final String INTERACTIVE_ATTRIBUTE = "ccc.interactive";

  private Identities() {}

  /** The identity of someone who logged in (with a password, and a code if they use TOTP). */
  static SecurityIdentity ofLogin(String userId, String loginId, User.Role role) {
    return build(userId, loginId, role, true);
  }

  /** The identity of a script holding a personal access token. */
  public static SecurityIdentity ofPersonalAccessToken(
      String userId, String tokenId, User.Role role) {
    return build(userId, tokenId, role, false);
  }

  private static SecurityIdentity build(
      String userId, String credentialId, User.Role role, boolean interactive) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(userId))
        .addRoles(role == User.Role.ADMIN ? Set.of(Caller.ADMIN, Caller.USER) : Set.of(Caller.USER))
        .addAttribute(CREDENTIAL_ATTRIBUTE, credentialId)
        .addAttribute(INTERACTIVE_ATTRIBUTE, interactive)
        .build();
  }
}
