package dev.ccc.api.auth;

import dev.ccc.api.web.ApiException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Login and WebSocket tickets. */
@Path("/api/auth")
public class AuthResource {

  /** Login request body. */
  public record LoginRequest(
      @NotBlank @Size(max = 64) String username, @NotNull @Size(max = 1024) String password) {}

  /** A bearer token for the REST API. */
  public record LoginResponse(String accessToken, String tokenType, long expiresIn) {}

  /** A single-use ticket for opening one WebSocket on the gateway. */
  public record TicketResponse(String ticket, long expiresInSeconds) {}

  private final Authenticator authenticator;
  private final TokenIssuer tokens;
  private final JsonWebToken caller;

  AuthResource(Authenticator authenticator, TokenIssuer tokens, JsonWebToken caller) {
    this.authenticator = authenticator;
    this.tokens = tokens;
    this.caller = caller;
  }

  @POST
  @Path("/login")
  @PermitAll
  public Uni<LoginResponse> login(@Valid @NotNull LoginRequest request, HttpServerRequest http) {
    return authenticator
        .login(request.username(), request.password(), http.remoteAddress().hostAddress())
        .map(
            result ->
                result.orElseThrow(
                    () -> ApiException.unauthorized("Invalid username or password.")));
  }

  @POST
  @Path("/ws-ticket")
  @Authenticated
  public TicketResponse webSocketTicket() {
    return new TicketResponse(
        tokens.webSocketTicket(caller.getSubject()), TokenIssuer.TICKET_LIFETIME.toSeconds());
  }
}
