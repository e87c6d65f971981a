package dev.ccc.api.auth;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Logins.Tokens;
import dev.ccc.api.web.ApiException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Login, token refresh, logout and WebSocket tickets. */
@Path("/api/auth")
public class AuthResource {

  /** Login request body; {@code code} is needed only with two-factor login on. */
  public record LoginRequest(
      @NotBlank @Size(max = 64) String username,
      @NotNull @Size(max = 1024) String password,
      @Size(max = 16) String code) {}

  /** A refresh token, to trade for new tokens or to end its login. */
  public record RefreshRequest(@NotBlank @Size(max = 128) String refreshToken) {}

  /** A single-use ticket for opening one WebSocket on the gateway. */
  public record TicketResponse(String ticket, long expiresInSeconds) {}

  private final Authenticator authenticator;
  private final Logins logins;
  private final TokenIssuer tokens;
  private final AuditLog audit;
  private final Caller caller;

  AuthResource(
      Authenticator authenticator,
      Logins logins,
      TokenIssuer tokens,
      AuditLog audit,
      Caller caller) {
    this.authenticator = authenticator;
    this.logins = logins;
    this.tokens = tokens;
    this.audit = audit;
    this.caller = caller;
  }

  @POST
  @Path("/login")
  @PermitAll
  public Uni<Tokens> login(@Valid @NotNull LoginRequest request) {
    return authenticator.login(
        request.username(), request.password(), request.code(), caller.address());
  }

  @POST
  @Path("/refresh")
  @PermitAll
  public Uni<Tokens> refresh(@Valid @NotNull RefreshRequest request) {
    return logins
        .refresh(request.refreshToken(), caller.address())
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.unauthorized("The refresh token is not valid; log in again."));
  }

  @POST
  @Path("/logout")
  @PermitAll
  public Uni<Void> logout(@Valid @NotNull RefreshRequest request) {
    return logins
        .logout(request.refreshToken())
        .call(
            login ->
                login == null
                    ? Uni.createFrom().voidItem()
                    : audit.record(
                        login.getUserId(),
                        caller.address(),
                        AuditAction.LOGOUT,
                        login.getId(),
                        null))
        .replaceWithVoid();
  }

  @POST
  @Path("/ws-ticket")
  @Authenticated
  public TicketResponse webSocketTicket() {
    return new TicketResponse(
        tokens.webSocketTicket(caller.userId(), caller.credentialId()),
        TokenIssuer.TICKET_LIFETIME.toSeconds());
  }
}
