package dev.ccc.api.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A valid signature is not enough: an access token is honoured only while its user is active and
 * its login ({@code sid}) is not revoked, so logout and deactivation work at once instead of when
 * the token expires. Identities from personal access tokens were checked when they were built.
 */
@ApplicationScoped
public class AccessCheck implements SecurityIdentityAugmentor {
  private final Revocations revocations;

  AccessCheck(Revocations revocations) {
    this.revocations = revocations;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
      return Uni.createFrom().item(identity);
    }
    String userId = token.getSubject();
    String loginId = token.getClaim(TokenIssuer.LOGIN_CLAIM);
    if (userId == null || loginId == null) {
      return Uni.createFrom().failure(new AuthenticationFailedException("token without a login"));
    }
    return revocations
        .standing(userId)
        .chain(
            standing ->
                standing.active()
                    ? revocations
                        .usable(userId, loginId)
                        .map(
                            usable -> {
                              if (!usable) {
                                throw new AuthenticationFailedException("login revoked");
                              }
                              return Identities.ofLogin(userId, loginId, standing.role());
                            })
                    : Uni.createFrom()
                        .failure(new AuthenticationFailedException("deactivated user")));
  }
}
