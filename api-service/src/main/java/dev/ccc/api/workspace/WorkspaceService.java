package dev.ccc.api.workspace;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import dev.ccc.api.bus.PtyClient;
import dev.ccc.api.db.Database;
import dev.ccc.api.web.ApiException;
import dev.ccc.api.workspace.Workspace.State;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import dev.ccc.bus.BusContract.WorkspaceFolder;
import dev.ccc.bus.BusContract.WorkspaceMade;
import dev.ccc.bus.BusContract.WorkspaceStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;

/**
 * Workspaces: the rows here, the folders on a pty-service. Creating an empty one waits for its
 * folder; a clone is answered as {@code cloning} once a pty-service has started it, and settles to
 * {@code ready} or {@code error} when that pty-service publishes the outcome, which may take
 * minutes. The pty-service is the truth: {@link #reconcileClones} compares the rows with it.
 */
@ApplicationScoped
public class WorkspaceService {
  private static final Logger LOG = Logger.getLogger(WorkspaceService.class.getName());

  /** The error of a workspace whose clone a pty-service no longer has. */
  static final String INTERRUPTED =
      "The workspace was still being made when a service restarted; delete it and create it again.";

  /**
   * How long a create request may take to reach a pty-service: by then its sender has had a reply
   * or has failed the workspace itself. A clone whose folder is absent for longer never comes.
   */
  static final Duration REQUEST_GRACE = PtyClient.DEFAULT_TIMEOUT;

  private final WorkspaceRepository workspaces;
  private final PtyClient pty;
  private final AuditLog audit;
  private final Clock clock = Clock.systemUTC();

  WorkspaceService(WorkspaceRepository workspaces, PtyClient pty, AuditLog audit) {
    this.workspaces = workspaces;
    this.pty = pty;
    this.audit = audit;
  }

  /** What {@link #reconcileClones} did. */
  public record ClonesReconciled(int corrected, int tooRecent) {}

  private enum Outcome {
    UNCHANGED,
    CORRECTED,
    TOO_RECENT
  }

  /**
   * Records how a clone went, as its pty-service published it; an outcome naming another owner than
   * the workspace's changes nothing.
   */
  public Uni<Integer> cloneFinished(WorkspaceMade made) {
    LOG.info(
        "clone of workspace "
            + made.workspace()
            + (made.error() == null ? " is ready" : " failed: " + made.error()));
    return workspaces.finishCloning(
        made.workspace(),
        made.owner(),
        made.error() == null ? State.READY : State.ERROR,
        made.error(),
        clock.instant());
  }

  /**
   * Asks a pty-service about every workspace still {@code cloning}, for outcomes that were
   * published while no api-service listened: a folder that is there is {@code ready}; one that is
   * absent is {@code error}, unless its create request may still be on its way ({@code tooRecent}:
   * ask again after {@link #REQUEST_GRACE}). A clone still running, or a pty-service that does not
   * answer, changes nothing.
   */
  public Uni<ClonesReconciled> reconcileClones() {
    Instant now = clock.instant();
    return workspaces
        .listCloning()
        .onItem()
        .transformToMulti(list -> Multi.createFrom().iterable(list))
        .onItem()
        .transformToUniAndConcatenate(workspace -> reconcileClone(workspace, now))
        .collect()
        .asList()
        .map(
            outcomes ->
                new ClonesReconciled(
                    Collections.frequency(outcomes, Outcome.CORRECTED),
                    Collections.frequency(outcomes, Outcome.TOO_RECENT)));
  }

  private Uni<Outcome> reconcileClone(Workspace workspace, Instant now) {
    String id = workspace.getId();
    return pty.request(new WorkspaceStatus(workspace.getOwnerId(), id), PtyClient.DEFAULT_TIMEOUT)
        .map(reply -> WorkspaceFolder.parse(reply).presence())
        .chain(
            presence ->
                switch (presence) {
                  case BUSY -> Uni.createFrom().item(Outcome.UNCHANGED);
                  case READY -> correct(workspace, State.READY, null);
                  case ABSENT ->
                      workspace.getCreatedAt().plus(REQUEST_GRACE).isAfter(now)
                          ? Uni.createFrom().item(Outcome.TOO_RECENT)
                          : correct(workspace, State.ERROR, INTERRUPTED);
                })
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warning("cannot check the clone of workspace " + id + ": " + failure);
              return Outcome.UNCHANGED;
            });
  }

  private Uni<Outcome> correct(Workspace workspace, State state, String error) {
    return workspaces
        .finishCloning(workspace.getId(), workspace.getOwnerId(), state, error, clock.instant())
        .map(rows -> rows == 1 ? Outcome.CORRECTED : Outcome.UNCHANGED);
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
   * The pty-service hears whether the caller, its owner, is an administrator from their account's
   * role (where the machine cannot sandbox, only administrators' clones run).
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
        new CreateWorkspace(caller.userId(), workspace.getId(), gitUrl, branch, caller.isAdmin());
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
   * Clones a workspace whose clone failed once more, into a fresh folder: what the failed one left
   * is deleted first. Answered with the workspace {@code cloning} (or {@code error} again if no
   * clone could be started); the outcome follows as for a new workspace. Only its owner retries,
   * whose role decides, as at its creation, whether the clone may run where nothing is sandboxed.
   */
  public Uni<Workspace> retryClone(Caller caller, String id) {
    return get(caller, id)
        .call(
            workspace -> {
              if (!workspace.getOwnerId().equals(caller.userId())) {
                throw ApiException.forbidden("Only its owner clones a workspace again.");
              }
              if (workspace.getState() != State.ERROR || workspace.getGitUrl() == null) {
                throw ApiException.conflict(
                    "Only a workspace whose clone failed can be cloned again.");
              }
              return workspaces
                  .claimRetry(id, clock.instant())
                  .invoke(
                      claimed -> {
                        if (!claimed) {
                          throw ApiException.conflict("The workspace changed meanwhile.");
                        }
                      });
            })
        .call(
            workspace ->
                pty.request(
                        new DeleteWorkspace(workspace.getOwnerId(), id), PtyClient.DEFAULT_TIMEOUT)
                    .onFailure()
                    .call(
                        failure ->
                            workspaces.finishCloning(
                                id,
                                workspace.getOwnerId(),
                                State.ERROR,
                                failure.getMessage(),
                                clock.instant())))
        .chain(
            workspace ->
                clone(
                    workspace,
                    new CreateWorkspace(
                        caller.userId(),
                        id,
                        workspace.getGitUrl(),
                        workspace.getBranch(),
                        caller.isAdmin())))
        .call(
            workspace ->
                audit.record(
                    caller,
                    AuditAction.WORKSPACE_CREATED,
                    id,
                    workspace.getSlug() + " from " + workspace.getGitUrl() + ", again"))
        .chain(() -> workspaces.find(id));
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
                    new DeleteWorkspace(workspace.getOwnerId(), id), PtyClient.DEFAULT_TIMEOUT))
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
    return pty.request(request, PtyClient.DEFAULT_TIMEOUT)
        .chain(
            () ->
                workspaces.finishCloning(
                    id, workspace.getOwnerId(), State.READY, null, clock.instant()))
        .onFailure()
        .call(() -> workspaces.delete(id))
        .chain(() -> workspaces.find(id));
  }

  /**
   * Asks a pty-service to start the clone, and answers with the workspace as it is then: {@code
   * cloning}, or {@code error} if no clone could be started. The outcome is written when the
   * pty-service publishes it, long after this request has been answered.
   */
  private Uni<Workspace> clone(Workspace workspace, CreateWorkspace request) {
    String id = workspace.getId();
    return pty.request(request, PtyClient.DEFAULT_TIMEOUT)
        .replaceWith(workspace)
        .onFailure()
        .recoverWithUni(
            failure ->
                workspaces
                    .finishCloning(
                        id,
                        workspace.getOwnerId(),
                        State.ERROR,
                        failure.getMessage(),
                        clock.instant())
                    .chain(() -> workspaces.find(id)));
  }
}
