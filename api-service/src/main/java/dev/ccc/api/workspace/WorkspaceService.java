package dev.ccc.api.workspace;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import dev.ccc.api.bus.PtyClient;
import dev.ccc.api.db.Database;
import dev.ccc.api.web.ApiException;
import dev.ccc.api.workspace.Workspace.State;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Workspaces: the rows here, the folders on a pty-service. Creating an empty one waits for its
 * folder; a clone is answered at once as {@code cloning} and settles to {@code ready} or {@code
 * error} when the pty-service replies, which may take minutes.
 */
@ApplicationScoped
public class WorkspaceService {
  private static final Logger LOG = Logger.getLogger(WorkspaceService.class.getName());

  /** The error of a workspace whose clone nobody waits for any more. */
  static final String INTERRUPTED =
      "The api-service restarted while the workspace was being made; delete it and create it"
          + " again.";

  private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

  private final WorkspaceRepository workspaces;
  private final PtyClient pty;
  private final AuditLog audit;
  private final WorkspaceConfig config;
  private final Clock clock = Clock.systemUTC();

  WorkspaceService(
      WorkspaceRepository workspaces, PtyClient pty, AuditLog audit, WorkspaceConfig config) {
    this.workspaces = workspaces;
    this.pty = pty;
    this.audit = audit;
    this.config = config;
  }

  /**
   * At startup no clone of an earlier run can still be awaited: its reply, if any ever comes, goes
   * to a process that is gone. So none may stay {@code cloning} for ever.
   */
  void failInterruptedClones(@Observes StartupEvent started) {
    int failed =
        workspaces.failEveryCloning(INTERRUPTED, clock.instant()).await().atMost(STARTUP_WAIT);
    if (failed > 0) {
      LOG.warning(failed + " workspace(s) were being made at the last shutdown; now in error");
    }
  }

  /** The caller's workspaces, or with {@code all} (admins only) everyone's. */
  public Uni<List<Workspace>> list(Caller caller, boolean all) {
    if (all && !caller.isAdmin()) {
      return Uni.createFrom()
          .failure(ApiException.forbidden("Only administrators may list everyone's workspaces."));
    }
    return workspaces.list(all ? null : caller.userId());
  }

  /** The workspace, if the caller may see it; 404 otherwise, as if it did not exist. */
  public Uni<Workspace> get(Caller caller, String id) {
    return workspaces
        .find(id)
        .map(
            workspace -> {
              if (workspace == null || !caller.mayAccess(workspace.getOwnerId())) {
                throw ApiException.notFound("No such workspace.");
              }
              return workspace;
            });
  }

  /**
   * Creates a workspace of the caller: empty (answered once the folder exists) or, with {@code
   * gitUrl}, a clone that goes on in the background. {@code slug} is made from the name when null.
   */
  public Uni<Workspace> create(
      Caller caller, String name, String slug, String description, String gitUrl, String branch) {
    if (branch != null && gitUrl == null) {
      return Uni.createFrom()
          .failure(ApiException.invalidField("branch", "is only for a workspace with a gitUrl"));
    }
    String chosenSlug = slug == null ? Workspace.slugOf(name) : slug;
    Workspace workspace =
        Workspace.create(
            caller.userId(), name, chosenSlug, description, gitUrl, branch, clock.instant());
    CreateWorkspace request =
        new CreateWorkspace(caller.userId(), workspace.getId(), gitUrl, branch);
    return workspaces
        .persist(workspace)
        .onFailure(Database::isUniqueViolation)
        .transform(
            failure ->
                ApiException.conflict(
                    "You have a workspace with the slug '" + chosenSlug + "'; choose another."))
        .chain(() -> gitUrl == null ? makeEmpty(workspace, request) : clone(workspace, request))
        .call(
            created ->
                audit.record(
                    caller,
                    AuditAction.WORKSPACE_CREATED,
                    created.getId(),
                    gitUrl == null ? created.getSlug() : created.getSlug() + " from " + gitUrl));
  }

  /** Changes the name and description that are not null. */
  public Uni<Workspace> update(Caller caller, String id, String name, String description) {
    return get(caller, id)
        .chain(() -> workspaces.rename(id, name, description, clock.instant()))
        .chain(() -> get(caller, id));
  }

  /**
   * Deletes the folder, then the row. Refused while the workspace has sessions (delete those first)
   * or is still being made.
   */
  public Uni<Void> delete(Caller caller, String id) {
    return get(caller, id)
        .call(
            workspace -> {
              if (workspace.getState() == State.CLONING) {
                throw ApiException.conflict(
                    "The workspace is still being made; wait until it is ready or has failed.");
              }
              return workspaces
                  .hasSessions(id)
                  .invoke(
                      hasSessions -> {
                        if (hasSessions) {
                          throw ApiException.conflict(
                              "The workspace has sessions; delete them first.");
                        }
                      });
            })
        .call(
            workspace ->
                pty.request(
                    BusContract.PTY_WORKSPACE_DELETE,
                    new DeleteWorkspace(workspace.getOwnerId(), id).toJson(),
                    PtyClient.DEFAULT_TIMEOUT))
        .call(() -> workspaces.delete(id))
        .call(
            workspace ->
                audit.record(caller, AuditAction.WORKSPACE_DELETED, id, workspace.getSlug()))
        .replaceWithVoid();
  }

  /**
   * Asks for the empty folder and waits for it. If it cannot be made the row goes again, and the
   * caller gets the pty-service's reason.
   */
  private Uni<Workspace> makeEmpty(Workspace workspace, CreateWorkspace request) {
    String id = workspace.getId();
    return pty.request(
            BusContract.PTY_WORKSPACE_CREATE, request.toJson(), PtyClient.DEFAULT_TIMEOUT)
        .chain(() -> workspaces.finishCloning(id, State.READY, null, clock.instant()))
        .onFailure()
        .call(() -> workspaces.delete(id))
        .chain(() -> workspaces.find(id));
  }

  /**
   * Starts the clone and answers at once with the workspace as it is, {@code cloning}. The clone's
   * outcome is written when the pty-service replies, long after this request has been answered.
   */
  private Uni<Workspace> clone(Workspace workspace, CreateWorkspace request) {
    String id = workspace.getId();
    pty.inBackground(
        "cloning workspace " + id,
        () ->
            pty.request(BusContract.PTY_WORKSPACE_CREATE, request.toJson(), config.cloneTimeout())
                .replaceWith(Optional.<String>empty())
                .onFailure()
                .recoverWithItem(failure -> Optional.of(failure.getMessage()))
                .invoke(
                    error ->
                        LOG.info(
                            "clone of workspace "
                                + id
                                + (error.isPresent() ? " failed: " + error.get() : " is ready")))
                .chain(
                    error ->
                        workspaces.finishCloning(
                            id,
                            error.isPresent() ? State.ERROR : State.READY,
                            error.orElse(null),
                            clock.instant())));
    return Uni.createFrom().item(workspace);
  }
}
