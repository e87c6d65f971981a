package dev.ccc.api.credential;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import dev.ccc.api.web.ApiException;
import dev.ccc.bus.BusContract;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;

/**
 * The caller's API keys for their agents: write-only. A key is set under the variable name its
 * agent reads (e.g. {@code ANTHROPIC_API_KEY}) and is then put in the environment of the caller's
 * own terminals of the profiles that take it, or of every tab if asked; it is never shown again,
 * only its last four characters.
 */
@Path("/api/me/credentials")
@Authenticated
public class CredentialResource {

  /** A key to set; {@code inShells}: in every tab, not only the agents that take it. */
  public record NewValue(
      @NotNull @Size(min = 1, max = BusContract.MAX_SECRET_LENGTH) String value,
      Boolean inShells) {}

  /** A key as listed. */
  public record CredentialView(String name, String lastFour, boolean inShells, Instant updatedAt) {
    static CredentialView of(Credential credential) {
      return new CredentialView(
          credential.getName(),
          credential.getLastFour(),
          credential.isInShells(),
          credential.getUpdatedAt());
    }
  }

  private final Credentials credentials;
  private final AuditLog audit;
  private final Caller caller;

  CredentialResource(Credentials credentials, AuditLog audit, Caller caller) {
    this.credentials = credentials;
    this.audit = audit;
    this.caller = caller;
  }

  @GET
  public Uni<List<CredentialView>> list() {
    return credentials
        .list(caller.userId())
        .map(list -> list.stream().map(CredentialView::of).toList());
  }

  /**
   * Sets the key {@code name}; a key that could leak into a log or break the terminal is refused.
   */
  @PUT
  @Path("/{name}")
  public Uni<CredentialView> put(@PathParam("name") String name, @Valid @NotNull NewValue request) {
    caller.requireLogin();
    requireName(name);
    if (request.value().indexOf('\0') >= 0 || request.value().isBlank()) {
      throw ApiException.invalidField("value", "must be the key, without NUL characters");
    }
    boolean inShells = Boolean.TRUE.equals(request.inShells());
    return credentials
        .put(caller.userId(), name, request.value(), inShells)
        .call(
            () ->
                audit.record(
                    caller, AuditAction.CREDENTIAL_SET, name, inShells ? "in every tab" : null))
        .map(CredentialView::of);
  }

  @DELETE
  @Path("/{name}")
  public Uni<Void> delete(@PathParam("name") String name) {
    caller.requireLogin();
    requireName(name);
    return credentials
        .delete(caller.userId(), name)
        .call(
            deleted ->
                deleted
                    ? audit.record(caller, AuditAction.CREDENTIAL_DELETED, name, null)
                    : Uni.createFrom().voidItem())
        .replaceWithVoid();
  }

  private static void requireName(String name) {
    try {
      BusContract.requireSecretName(name);
    } catch (BusContract.InvalidMessage e) {
      throw ApiException.invalidField("name", e.getMessage());
    }
  }
}
