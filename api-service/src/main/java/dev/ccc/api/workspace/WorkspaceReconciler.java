package dev.ccc.api.workspace;

import dev.ccc.api.bus.BusMembership;
import dev.ccc.api.bus.PtyClient;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.WorkspaceMade;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;

/**
 * Keeps the workspaces' states true to their folders: records each clone's outcome as its
 * pty-service publishes it, and compares every workspace still {@code cloning} with the folders
 * when the api-service starts (it may have missed outcomes while down) and when a pty-service
 * starts (its earlier run's clones are gone).
 */
@ApplicationScoped
public class WorkspaceReconciler {
  private static final Logger LOG = Logger.getLogger(WorkspaceReconciler.class.getName());

  private final PtyClient pty;
  private final WorkspaceService workspaces;

  WorkspaceReconciler(PtyClient pty, WorkspaceService workspaces) {
    this.pty = pty;
    this.workspaces = workspaces;
  }

  void start(@Observes BusMembership.Joined joined) throws Exception {
    pty.listen(BusContract.PTY_WORKSPACE_EVENTS, WorkspaceMade::parse, workspaces::cloneFinished);
    pty.reconcileOnEveryStart("clones", this::reconcile);
  }

  private Uni<WorkspaceService.ClonesReconciled> reconcile(String why) {
    return workspaces
        .reconcileClones()
        .invoke(
            reconciled -> {
              if (reconciled.corrected() > 0) {
                LOG.info("corrected " + reconciled.corrected() + " workspace(s): " + why);
              }
              if (reconciled.tooRecent() > 0) {
                pty.later(
                    WorkspaceService.REQUEST_GRACE,
                    "reconciling recent clones",
                    () -> reconcile(why));
              }
            });
  }
}
