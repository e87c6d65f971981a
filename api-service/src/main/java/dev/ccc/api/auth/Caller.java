package dev.ccc.api.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, however they authenticated (access token or personal access token): resources and
 * services ask this, never the token itself.
 */
@RequestScoped
public class Caller {
  public static final String ADMIN = "admin";
  public static final String USER = "user";

  private final SecurityIdentity identity;

  Caller(SecurityIdentity identity) {
    this.identity = identity;
  }

  /** The caller's user id (the token's subject). */
  public String userId() {
    return identity.getPrincipal().getName();
  }

  public boolean isAdmin() {
    return identity.hasRole(ADMIN);
  }

  /** True if the caller may act on something owned by {@code ownerId}: its owner, or an admin. */
  public boolean mayAccess(String ownerId) {
    return isAdmin() || userId().equals(ownerId);
  }
}
