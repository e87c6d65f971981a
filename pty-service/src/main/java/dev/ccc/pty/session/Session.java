package dev.ccc.pty.session;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.sandbox.SessionSandbox;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The terminals one user runs in one workspace, all in one sandbox. A session lives from its first
 * terminal until its last one has exited, whether stopped or on its own; then it is over for good,
 * its sandbox is closed with whatever still ran in it, and a new start makes a new session. While
 * it lives, it keeps its workspace in use, so the folder cannot be deleted under it.
 */
public final class Session {

  /** Hears of the end of a session. */
  public interface Listener {
    /**
     * The last terminal of {@code session} exited with {@code exitCode}. Called once, on that
     * terminal's reader thread, after the terminal's own listener heard of its exit.
     */
    void onEnded(Session session, int exitCode);

    /**
     * {@code terminal} of {@code session} exited with {@code exitCode}. Called on its reader
     * thread, after the terminal's own listener heard of it, and before {@link #onEnded} when it
     * was the last.
     */
    default void onTerminalExited(Session session, Terminal terminal, int exitCode) {}
  }

  private final UUID id;
  private final String owner;
  private final Workspaces.Lease workspace;
  private final SessionSandbox sandbox;
  private final int maxTabs;
  private final TerminalRegistry registry;
  private final Listener listener;
  private final Consumer<Session> forget;

  // Changed under this lock only, which open() holds while spawning; copy-on-write so that
  // terminalIds() can read it without waiting for a spawn.
  private final List<Terminal> terminals = new CopyOnWriteArrayList<>();

  // Guarded by this.
  private boolean stopping;
  private boolean over;

  Session(
      UUID id,
      Workspaces.Lease workspace,
      SessionSandbox sandbox,
      int maxTabs,
      TerminalRegistry registry,
      Listener listener,
      Consumer<Session> forget) {
    this.id = id;
    this.owner = sandbox.owner();
    this.workspace = workspace;
    this.sandbox = sandbox;
    this.maxTabs = maxTabs;
    this.registry = registry;
    this.listener = listener;
    this.forget = forget;
  }

  public UUID id() {
    return id;
  }

  public String owner() {
    return owner;
  }

  /** The workspace folder, where every terminal of the session starts. */
  public Path folder() {
    return workspace.folder();
  }

  /**
   * Opens another terminal running {@code launch} in the session's sandbox, in the workspace
   * folder; see {@link TerminalRegistry#open}.
   *
   * @throws RefusedException when the session is over (not found), being stopped or has all the
   *     tabs it may have (conflict)
   */
  public synchronized Terminal open(
      Launch launch, int cols, int rows, Terminal.Listener terminalListener)
      throws IOException, RefusedException {
    if (over) {
      throw RefusedException.notFound("the session has ended");
    }
    if (stopping) {
      throw RefusedException.conflict("the session is stopping");
    }
    if (terminals.size() >= maxTabs) {
      throw RefusedException.conflict("a session has at most " + maxTabs + " tabs");
    }
    // Spawned under the lock (a few milliseconds): a concurrent stop() either sees the new
    // terminal or refuses it, and the session cannot end for want of terminals while one starts.
    Terminal terminal =
        registry.open(
            sandbox,
            launch,
            cols,
            rows,
            Terminal.Listener.replacingExit(
                terminalListener,
                (exited, exitCode) -> {
                  terminalListener.onExit(exited, exitCode);
                  listener.onTerminalExited(this, exited, exitCode);
                  exited(exited, exitCode);
                }));
    terminals.add(terminal);
    return terminal;
  }

  /** The session's terminals that have not exited yet, oldest first. */
  public List<Terminal> terminals() {
    return List.copyOf(terminals);
  }

  /** The ids of the session's terminals that have not exited yet, oldest first. */
  public List<UUID> terminalIds() {
    return terminals.stream().map(Terminal::id).toList();
  }

  /**
   * Stops every terminal (see {@link Terminal#close}), then everything else in the sandbox, and
   * refuses new terminals. Blocks for up to about half a second; the end follows through the {@link
   * Listener} once the terminals' exits have been delivered.
   */
  public void stop() {
    List<Terminal> all;
    synchronized (this) {
      stopping = true;
      all = List.copyOf(terminals);
    }
    // Terminals first, so that their programs hear the hang-up and can save their work.
    Terminal.closeAll(all);
    sandbox.close();
  }

  /** Gives up a session whose first terminal failed to start: it ends without being reported. */
  void abandon() {
    synchronized (this) {
      if (over || !terminals.isEmpty()) {
        return;
      }
      over = true;
    }
    end();
  }

  private void exited(Terminal terminal, int exitCode) {
    synchronized (this) {
      terminals.remove(terminal);
      if (over || !terminals.isEmpty()) {
        return;
      }
      over = true;
    }
    end();
    listener.onEnded(this, exitCode);
  }

  /**
   * Ends what the terminals left running in the sandbox, frees the workspace and the session id;
   * the id may start a new session right away.
   */
  private void end() {
    sandbox.close();
    workspace.release();
    forget.accept(this);
  }
}
