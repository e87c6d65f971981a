package dev.ccc.api.pat;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer ccc_pat_…}. It runs before the JWT mechanism, and passes on
 * (an empty answer) for any other bearer token, which then goes to the JWT mechanism.
 */
@ApplicationScoped
public class PersonalAccessTokenMechanism implements HttpAuthenticationMechanism {
  private static final String BEARER = "Bearer ";

  /**
   * The secret of a personal access token, to be checked by {@link PersonalAccessTokenProvider}.
   */
  static final class Request extends BaseAuthenticationRequest {
    private final String secret;

    Request(String secret) {
      this.secret = secret;
    }

    String secret() {
      return secret;
    }
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Uni.createFrom().nullItem();
    }
    String token = header.substring(BEARER.length()).trim();
    if (!token.startsWith(PersonalAccessTokens.PREFIX)) {
      return Uni.createFrom().nullItem();
    }
    return identityProviderManager.authenticate(
        HttpSecurityUtils.setRoutingContextAttribute(new Request(token), context));
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(Request.class);
  }

  @Override
  public int getPriority() {
    return DEFAULT_PRIORITY + 100;
  }
}
