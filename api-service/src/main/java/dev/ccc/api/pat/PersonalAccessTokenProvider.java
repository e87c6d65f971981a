package dev.ccc.api.pat;

import dev.ccc.api.auth.Identities;
import dev.ccc.api.auth.Revocations;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a live personal access token of an active user into that user's identity. */
@ApplicationScoped
public class PersonalAccessTokenProvider
    implements IdentityProvider<PersonalAccessTokenMechanism.Request> {
  private final PersonalAccessTokens tokens;
  private final Revocations revocations;

  PersonalAccessTokenProvider(PersonalAccessTokens tokens, Revocations revocations) {
    this.tokens = tokens;
    this.revocations = revocations;
  }

  @Override
  public Class<PersonalAccessTokenMechanism.Request> getRequestType() {
    return PersonalAccessTokenMechanism.Request.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      PersonalAccessTokenMechanism.Request request, AuthenticationRequestContext context) {
    return tokens
        .authenticate(request.secret())
        .onItem()
        .ifNull()
        .failWith(() -> new AuthenticationFailedException("unknown, expired or revoked token"))
        .chain(
            token ->
                revocations
                    .standing(token.getUserId())
                    .map(
                        standing -> {
                          if (!standing.active()) {
                            throw new AuthenticationFailedException("deactivated user");
                          }
                          return Identities.ofPersonalAccessToken(
                              token.getUserId(), token.getId(), standing.role());
                        }));
  }
}
