package dev.ccc.api.session;

import dev.ccc.api.auth.Caller;
import dev.ccc.bus.BusContract;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** The caller's sessions and their tabs (docs/api.md, "Sessions"); see {@link SessionService}. */
@Path("/api/sessions")
@Authenticated
public class SessionResource {
  private static final String PROFILE_RULE =
      "must be a profile name: 1-32 characters of a-z 0-9 -, starting with a letter or digit";

  /** The size of a terminal when the client does not say. */
  static final int DEFAULT_COLS = 80;

  static final int DEFAULT_ROWS = 24;

  /** A session to create; {@code profile} is what its first terminal runs. */
  public record NewSession(
      @NotNull String workspaceId,
      @NotBlank @Size(max = 100) String name,
      @Pattern(regexp = BusContract.PROFILE_PATTERN, message = PROFILE_RULE) String profile) {}

  /** The fields a session may change; absent ones stay as they are. The profile only at rest. */
  public record SessionChanges(
      @Size(min = 1, max = 100) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
          String name,
      @Pattern(regexp = BusContract.PROFILE_PATTERN, message = PROFILE_RULE) String profile) {}

  /**
   * The size of the first terminal of a start, and whether its agent continues its last
   * conversation (a relaunch); all optional.
   */
  public record StartRequest(
      @Min(BusContract.MIN_DIMENSION) @Max(BusContract.MAX_DIMENSION) Integer cols,
      @Min(BusContract.MIN_DIMENSION) @Max(BusContract.MAX_DIMENSION) Integer rows,
      Boolean resume) {}

  /**
   * Another tab of a running session; every field optional, the profile {@code shell}. {@code
   * resume}: the agent continues its last conversation (Claude Code's {@code --continue}).
   */
  public record NewTab(
      @Pattern(regexp = BusContract.PROFILE_PATTERN, message = PROFILE_RULE) String profile,
      @Min(BusContract.MIN_DIMENSION) @Max(BusContract.MAX_DIMENSION) Integer cols,
      @Min(BusContract.MIN_DIMENSION) @Max(BusContract.MAX_DIMENSION) Integer rows,
      Boolean resume) {}

  /** A tab's new name: shown in every viewer's tab strip. */
  public record TabChanges(
      @NotNull
          @Pattern(
              regexp = BusContract.TAB_NAME_PATTERN,
              message = "must be 1-40 characters, not blank, without control characters")
          String name) {}

  /** How to relaunch a tab; optional. {@code resume}: its agent continues its last conversation. */
  public record RelaunchRequest(Boolean resume) {}

  /** A tab that was opened: its terminal's id, to attach to on the gateway. */
  public record OpenedTab(String id, String profile) {}

  private final SessionService sessions;
  private final Caller caller;

  SessionResource(SessionService sessions, Caller caller) {
    this.sessions = sessions;
    this.caller = caller;
  }

  @GET
  public Uni<List<SessionView>> list(@RestQuery boolean all, @RestQuery String workspaceId) {
    return sessions.list(caller, all, workspaceId);
  }

  @POST
  public Uni<RestResponse<SessionView>> create(@Valid @NotNull NewSession request) {
    return sessions
        .create(caller, request.workspaceId(), request.name(), request.profile())
        .map(
            created ->
                RestResponse.ResponseBuilder.<SessionView>created(
                        URI.create("/api/sessions/" + created.id()))
                    .entity(created)
                    .build());
  }

  @GET
  @Path("/{id}")
  public Uni<SessionView> get(@RestPath String id) {
    return sessions.get(caller, id);
  }

  @PATCH
  @Path("/{id}")
  public Uni<SessionView> update(@RestPath String id, @Valid @NotNull SessionChanges changes) {
    // The profile first: it is the change that can be refused, and then nothing changes.
    Uni<SessionView> profiled =
        changes.profile() == null
            ? sessions.get(caller, id)
            : sessions.changeProfile(caller, id, changes.profile());
    return changes.name() == null
        ? profiled
        : profiled.chain(() -> sessions.rename(caller, id, changes.name()));
  }

  @DELETE
  @Path("/{id}")
  public Uni<Void> delete(@RestPath String id) {
    return sessions.delete(caller, id);
  }

  @POST
  @Path("/{id}/start")
  public Uni<SessionView> start(@RestPath String id, @Valid StartRequest request) {
    return sessions.start(
        caller,
        id,
        request != null && Boolean.TRUE.equals(request.resume()),
        request == null || request.cols() == null ? DEFAULT_COLS : request.cols(),
        request == null || request.rows() == null ? DEFAULT_ROWS : request.rows());
  }

  @POST
  @Path("/{id}/stop")
  public Uni<SessionView> stop(@RestPath String id) {
    return sessions.stop(caller, id);
  }

  @POST
  @Path("/{id}/terminals")
  public Uni<RestResponse<OpenedTab>> openTab(@RestPath String id, @Valid NewTab request) {
    String profile =
        request == null || request.profile() == null ? Session.DEFAULT_PROFILE : request.profile();
    return sessions
        .openTab(
            caller,
            id,
            profile,
            request != null && Boolean.TRUE.equals(request.resume()),
            request == null || request.cols() == null ? DEFAULT_COLS : request.cols(),
            request == null || request.rows() == null ? DEFAULT_ROWS : request.rows())
        .map(
            terminal ->
                RestResponse.status(RestResponse.Status.CREATED, new OpenedTab(terminal, profile)));
  }

  @DELETE
  @Path("/{id}/terminals/{terminalId}")
  public Uni<Void> closeTab(@RestPath String id, @RestPath String terminalId) {
    return sessions.closeTab(caller, id, terminalId);
  }

  @PATCH
  @Path("/{id}/terminals/{terminalId}")
  public Uni<Void> renameTab(
      @RestPath String id, @RestPath String terminalId, @Valid @NotNull TabChanges changes) {
    return sessions.renameTab(caller, id, terminalId, changes.name());
  }

  @POST
  @Path("/{id}/terminals/{terminalId}/relaunch")
  public Uni<SessionView> relaunchTab(
      @RestPath String id, @RestPath String terminalId, RelaunchRequest request) {
    return sessions.relaunchTab(
        caller, id, terminalId, request != null && Boolean.TRUE.equals(request.resume()));
  }
}
