package dev.ccc.api.pat;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The caller's personal access tokens. */
@Path("/api/me/tokens")
@Authenticated
public class PersonalAccessTokenResource {
  private static final int DEFAULT_DAYS = 90;

  /** A token to create; it expires after {@code expiresInDays} (default 90). */
  public record NewToken(
      @NotBlank @Size(max = 100) String name, @Min(1) @Max(365) Integer expiresInDays) {}

  /** A token as listed; {@code token} (the secret) is set only in the answer that creates it. */
  public record TokenView(
      String id,
      String name,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      boolean revoked,
      String token) {
    static TokenView of(PersonalAccessToken token, String secret) {
      return new TokenView(
          token.getId(),
          token.getName(),
          token.getCreatedAt(),
          token.getExpiresAt(),
          token.getLastUsedAt(),
          token.isRevoked(),
          secret);
    }
  }

  private final PersonalAccessTokens tokens;
  private final AuditLog audit;
  private final Caller caller;

  PersonalAccessTokenResource(PersonalAccessTokens tokens, AuditLog audit, Caller caller) {
    this.tokens = tokens;
    this.audit = audit;
    this.caller = caller;
  }

  @GET
  public Uni<List<TokenView>> list() {
    return tokens
        .list(caller.userId())
        .map(list -> list.stream().map(token -> TokenView.of(token, null)).toList());
  }

  @POST
  public Uni<Response> create(@Valid @NotNull NewToken request) {
    caller.requireLogin();
    int days = request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays();
    return tokens
        .create(caller.userId(), request.name(), Duration.ofDays(days))
        .call(
            created ->
                audit.record(
                    caller,
                    AuditAction.ACCESS_TOKEN_CREATED,
                    created.token().getId(),
                    request.name()))
        .map(
            created ->
                Response.status(201)
                    .entity(TokenView.of(created.token(), created.secret()))
                    .build());
  }

  @DELETE
  @Path("/{id}")
  public Uni<Void> revoke(@PathParam("id") String id) {
    caller.requireLogin();
    return tokens
        .revoke(caller.userId(), id)
        .call(() -> audit.record(caller, AuditAction.ACCESS_TOKEN_REVOKED, id, null));
  }
}
