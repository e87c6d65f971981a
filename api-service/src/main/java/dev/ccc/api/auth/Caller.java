package dev.ccc.api.auth;

import dev.ccc.api.web.ApiException;
import dev.ccc.api.web.ClientAddress;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is making the current request, whichever way they authenticated (access token or personal
 * access token): the one place resources ask "whose is this, and may they touch it?".
 */
@RequestScoped
public class Caller {
  /** Role of administrators, as {@code @RolesAllowed} names it. */
  public static final String ADMIN = "admin";

  /** Role of every account, administrators included. */
  public static final String USER = "user";

  private final SecurityIdentity identity;
  private final CurrentVertxRequest request;
  private final ClientAddress clientAddress;

  Caller(SecurityIdentity identity, CurrentVertxRequest request, ClientAddress clientAddress) {
    this.identity = identity;
    this.request = request;
    this.clientAddress = clientAddress;
  }

  /** The caller's user id; the request must be authenticated. */
  public String userId() {
    return identity.getPrincipal().getName();
  }

  public boolean isAdmin() {
    return identity.hasRole(ADMIN);
  }

  /** Whether the caller may see and change something owned by {@code ownerId}. */
  public boolean mayAccess(String ownerId) {
    return isAdmin() || userId().equals(ownerId);
  }

  /** The login or personal access token this request came with. */
  public String credentialId() {
    return identity.getAttribute(Identities.CREDENTIAL_ATTRIBUTE);
  }

  /**
   * Refuses (403) a request made with a personal access token: credentials (password, two-factor
   * login, tokens) and accounts (creating users, their roles, their passwords) are changed only by
   * someone who logged in, so a leaked script token, even an admin's, cannot be turned into a
   * lasting foothold.
   */
  public void requireLogin() {
    if (!Boolean.TRUE.equals(identity.getAttribute(Identities.INTERACTIVE_ATTRIBUTE))) {
      throw ApiException.forbidden(
          "Sign in with your password to do this: a personal access token cannot change"
              + " credentials or administer accounts.");
    }
  }

  /** The client's network address, for the audit log and the login throttle. */
  public String address() {
    return clientAddress.of(request.getCurrent().request());
  }
}
