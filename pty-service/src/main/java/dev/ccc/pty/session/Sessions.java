package dev.ccc.pty.session;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** Starts sessions, and knows which are running on this pty-service. */
public final class Sessions {
  private final TerminalRegistry registry;
  private final Workspaces workspaces;

  // Guarded by this.
  private final Set<UUID> running = new HashSet<>();

  public Sessions(TerminalRegistry registry, Workspaces workspaces) {
    this.registry = registry;
    this.workspaces = workspaces;
  }

  /**
   * Starts session {@code id} of {@code owner} in the folder of {@code workspace}, with a first
   * terminal running {@code profile}. The session runs until its last terminal exits; then {@code
   * sessionListener} hears of it.
   *
   * @throws RefusedException when the session is running already (conflict) or the workspace folder
   *     does not exist (not found)
   * @throws IllegalArgumentException for an unknown profile or an invalid owner
   * @throws IOException when the terminal cannot be started
   */
  public Started start(
      UUID id,
      String owner,
      UUID workspace,
      String profile,
      int cols,
      int rows,
      Terminal.Listener terminalListener,
      Session.Listener sessionListener)
      throws IOException, RefusedException {
    Session session;
    // One lock over the check and the registration: of two concurrent starts, one gets a conflict.
    synchronized (this) {
      if (running.contains(id)) {
        throw RefusedException.conflict("the session is running already");
      }
      Workspaces.Lease folder = workspaces.use(owner, workspace);
      session = new Session(id, owner, folder, registry, sessionListener, this::forget);
      running.add(id);
    }
    try {
      return new Started(session, session.open(profile, cols, rows, terminalListener));
    } catch (Exception e) {
      session.abandon();
      throw e;
    }
  }

  /** A session that has just started, and its first terminal. */
  public record Started(Session session, Terminal terminal) {}

  private synchronized void forget(Session session) {
    running.remove(session.id());
  }
}
