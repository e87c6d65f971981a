package dev.ccc.pty.session;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.sandbox.SessionSandbox;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Profiles;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.terminal.TerminalRecord;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Starts sessions, each in a sandbox of its own, and knows which are running on this service. */
public final class Sessions {
  private final TerminalRegistry registry;
  private final Workspaces workspaces;
  private final Sandboxes sandboxes;
  private final int maxTabs;

  // Guarded by this: the sessions that live here, cold ones too.
  private final Set<UUID> running = new HashSet<>();

  /**
   * @param maxTabs terminals one session may have at once
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
   * @throws RefusedException when the session is running or cold here already or the owner is over
   *     their disk quota (conflict), or the workspace folder does not exist (not found)
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
    claim(id);
    Session.Warm warm;
    try {
      warm = warm(owner, workspace);
    } catch (IOException | RefusedException | RuntimeException e) {
      forget(id);
      throw e;
    }
    Session session =
        new Session(
            id,
            owner.id(),
            workspace,
            warm,
            admin -> {
              throw new IllegalStateException("a live session is warm");
            },
            maxTabs,
            registry,
            sessionListener,
            this::forget);
    try {
      return new Started(session, session.open(launch, cols, rows, terminalListener));
    } catch (Exception e) {
      session.abandon();
      throw e;
    }
  }

  /**
   * Brings back, cold, session {@code id} of {@code owner} in {@code workspace} that an earlier run
   * of the service left with the tabs {@code records}: their output from their logs, no process.
   * {@link Session#relaunch} makes it live again; {@link Session#stop} deletes it.
   *
   * @param terminalListener makes the listener of each tab's terminal
   */
  public Session restore(
      UUID id,
      String owner,
      UUID workspace,
      List<TerminalRecord> records,
      Function<TerminalRecord, Terminal.Listener> terminalListener,
      Session.Listener sessionListener)
      throws IOException, RefusedException {
    claim(id);
    Session session =
        new Session(
            id,
            owner,
            workspace,
            null,
            admin -> warm(new Owner(owner, admin), workspace),
            maxTabs,
            registry,
            sessionListener,
            this::forget);
    try {
      for (TerminalRecord record : records) {
        Terminal terminal = registry.cold(record, session.ending(terminalListener.apply(record)));
        session.restore(terminal, record);
      }
    } catch (IOException | RuntimeException e) {
      forget(id);
      throw e;
    }
    return session;
  }

  /** The profiles its sessions' terminals can run. */
  public Profiles profiles() {
    return registry.profiles();
  }

  /** A session that has just started, and its first terminal. */
  public record Started(Session session, Terminal terminal) {}

  // One lock over the check and the registration: of two concurrent starts, one gets a conflict.
  private synchronized void claim(UUID id) throws RefusedException {
    if (running.contains(id)) {
      throw RefusedException.conflict(
          "the session is running already, or its tabs are cold here: relaunch one of them");
    }
    running.add(id);
  }

  private Session.Warm warm(Owner owner, UUID workspace) throws IOException, RefusedException {
    Workspaces.Lease folder = workspaces.use(owner.id(), workspace);
    try {
      SessionSandbox sandbox = sandboxes.openSession(owner, folder.folder());
      return new Session.Warm(folder, sandbox);
    } catch (IOException | RefusedException | RuntimeException e) {
      folder.release();
      throw e;
    }
  }

  private void forget(Session session) {
    forget(session.id());
  }

  private synchronized void forget(UUID id) {
    running.remove(id);
  }
}
