package dev.ccc.api.arguments;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
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
 * The caller's extra arguments per profile (Claude Code's {@code --model opus}, say): added to the
 * command of each terminal of that profile the caller launches from then on, when the profile's
 * options allow them (listed with the profile in {@code GET /api/profiles}).
 */
@Path("/api/me/profile-arguments")
@Authenticated
public class ProfileArgumentsResource {

  /** Arguments to set, as separate words: {@code ["--model", "opus"]}. */
  public record NewArguments(
      @NotNull @Size(max = BusContract.MAX_ARGUMENTS) List<String> arguments) {}

  /** A profile's arguments as listed. */
  public record ArgumentsView(String profile, List<String> arguments, Instant updatedAt) {
    static ArgumentsView of(ProfileArguments row) {
      return new ArgumentsView(row.getProfile(), row.getArguments(), row.getUpdatedAt());
    }
  }

  private final ProfileArgumentsService arguments;
  private final AuditLog audit;
  private final Caller caller;

  ProfileArgumentsResource(ProfileArgumentsService arguments, AuditLog audit, Caller caller) {
    this.arguments = arguments;
    this.audit = audit;
    this.caller = caller;
  }

  @GET
  public Uni<List<ArgumentsView>> list() {
    return arguments
        .list(caller.userId())
        .map(list -> list.stream().map(ArgumentsView::of).toList());
  }

  @PUT
  @Path("/{profile}")
  public Uni<ArgumentsView> put(
      @PathParam("profile") String profile, @Valid @NotNull NewArguments request) {
    return arguments
        .put(caller.userId(), profile, request.arguments())
        .call(
            () ->
                audit.record(
                    caller,
                    AuditAction.PROFILE_ARGUMENTS_SET,
                    profile,
                    String.join(" ", request.arguments())))
        .map(ArgumentsView::of);
  }

  @DELETE
  @Path("/{profile}")
  public Uni<Void> delete(@PathParam("profile") String profile) {
    return arguments
        .delete(caller.userId(), profile)
        .call(
            deleted ->
                deleted
                    ? audit.record(caller, AuditAction.PROFILE_ARGUMENTS_SET, profile, null)
                    : Uni.createFrom().voidItem())
        .replaceWithVoid();
  }
}
