package dev.ccc.pty.session;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.sandbox.SessionSandbox;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Profiles;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** Starts sessions, each in a sandbox of its own, and knows which are running on this service. */
public final class Sessions {
  private final TerminalRegistry registry;
  private final Workspaces workspaces;
  private final Sandboxes sandboxes;
  private final int maxTabs;

  // Guarded by this.
  private final Set<UUID> running = new HashSet<>();

  /**
   * @param maxTabs terminals one session may run at once
   */
  public Sessions(
      TerminalRegistry registry, Workspaces workspaces, Sandboxes sandboxes, int maxTabs) {
    this.registry = registry;
    this.workspaces = workspaces;
    this.sandboxes = sandboxes;
    this.maxTabs = maxTabs;
  }

  /**
   * Starts session {@code id} of {@code owner} in the folder of {@code workspace}, with a first
   * terminal running {@code launch}. The session runs until its last terminal exits; then {@code
   * sessionListener} hears of it.
   *
   * @throws RefusedException when the session is running already or the owner is over their disk
   *     quota (conflict), or the workspace folder does not exist (not found)
   * @throws IllegalArgumentException for an unknown profile or an invalid owner
   * @throws IOException when the sandbox or the terminal cannot be started, or the owner may not
   *     run terminals here
   */
  public Started start(
      UUID id,
      Owner owner,
      UUID workspace,
      Launch launch,
      int cols,
      int rows,
      Terminal.Listener terminalListener,
      Session.Listener sessionListener)
      throws IOException, RefusedException {
    Workspaces.Lease folder;
    // One lock over the check and the registration: of two concurrent starts, one gets a conflict.
    synchronized (this) {
      if (running.contains(id)) {
        throw RefusedException.conflict("the session is running already");
      }
      folder = workspaces.use(owner.id(), workspace);
      running.add(id);
    }
    SessionSandbox sandbox;
    try {
      sandbox = sandboxes.openSession(owner, folder.folder());
    } catch (IOException | RefusedException | RuntimeException e) {
      folder.release();
      forget(id);
      throw e;
    }
    Session session =
        new Session(id, folder, sandbox, maxTabs, registry, sessionListener, this::forget);
    try {
      return new Started(session, session.open(launch, cols, rows, terminalListener));
    } catch (Exception e) {
      session.abandon();
      throw e;
    }
  }

  /** The profiles its sessions' terminals can run. */
  public Profiles profiles() {
    return registry.profiles();
  }

  /** A session that has just started, and its first terminal. */
  public record Started(Session session, Terminal terminal) {}

  private void forget(Session session) {
    forget(session.id());
  }

  private synchronized void forget(UUID id) {
    running.remove(id);
  }
}
