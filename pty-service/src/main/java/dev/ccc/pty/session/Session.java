package dev.ccc.pty.session;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.sandbox.SessionSandbox;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.terminal.TerminalRecord;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The terminals one user runs in one workspace, all in one sandbox: the session's tabs. A session
 * lives from its first terminal until its last running one has exited, whether stopped or on its
 * own; then it is over for good, its sandbox is closed with whatever still ran in it, its tabs'
 * output is deleted, and a new start makes a new session. While it lives, it keeps its workspace in
 * use, so the folder cannot be deleted under it. A tab whose process exited stays, its output
 * readable, until it is {@link #drop dropped} or {@link #relaunch relaunched} in place.
 *
 * <p>A session is <em>cold</em> when an earlier run of the service left its tabs (see {@link
 * Sessions#restore}): no sandbox, no process, only their output. Relaunching one of its tabs opens
 * its sandbox and makes it live again.
 */
public final class Session {
  private static final Logger LOG = Logger.getLogger(Session.class.getName());

  /** Hears of the end of a session. */
  public interface Listener {
    /**
     * The last running terminal of {@code session} exited with {@code exitCode}, or the cold
     * session was stopped or lost its last tab (code 0). Called once, after the terminal's own
     * listener heard of its exit.
     */
    void onEnded(Session session, int exitCode);

    /**
     * {@code terminal} of {@code session} exited with {@code exitCode}. Called on its reader
     * thread, after the terminal's own listener heard of it, and before {@link #onEnded} when it
     * was the last.
     */
    default void onTerminalExited(Session session, Terminal terminal, int exitCode) {}
  }

  /** Opens what a live session runs in: its workspace and its sandbox. */
  interface Warmer {
    Warm warm(boolean admin) throws IOException, RefusedException;
  }

  /** The workspace a session uses and the sandbox its terminals run in. */
  record Warm(Workspaces.Lease workspace, SessionSandbox sandbox) {}

  /** One tab, as the session's status tells it. {@code exitCode} is null unless it exited. */
  public record TabStatus(UUID id, String name, String profile, State state, Integer exitCode) {
    /**
     * Whether a process runs in the tab, ran and exited, or ran in an earlier run of the service.
     */
    public enum State {
      RUNNING,
      EXITED,
      COLD
    }
  }

  /** A tab: its terminal and what is kept of it on disk. */
  private static final class Tab {
    final Terminal terminal;
    volatile TerminalRecord record;

    Tab(Terminal terminal, TerminalRecord record) {
      this.terminal = terminal;
      this.record = record;
    }
  }

  private final UUID id;
  private final String owner;
  private final UUID workspaceId;
  private final int maxTabs;
  private final TerminalRegistry registry;
  private final Listener listener;
  private final Consumer<Session> forget;
  private final Warmer warmer;

  // Changed under this lock only, which open() and relaunch() hold while spawning; copy-on-write so
  // that tabs() can read it without waiting for a spawn.
  private final List<Tab> tabs = new CopyOnWriteArrayList<>();

  // Guarded by this. Null while the session is cold.
  private Warm warm;
  private boolean stopping;
  private boolean over;

  Session(
      UUID id,
      String owner,
      UUID workspaceId,
      Warm warm,
      Warmer warmer,
      int maxTabs,
      TerminalRegistry registry,
      Listener listener,
      Consumer<Session> forget) {
    this.id = id;
    this.owner = owner;
    this.workspaceId = workspaceId;
    this.warm = warm;
    this.warmer = warmer;
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

  /** The workspace folder, where every terminal of the session starts; null while cold. */
  public synchronized Path folder() {
    return warm == null ? null : warm.workspace().folder();
  }

  /**
   * Opens another terminal running {@code launch} in the session's sandbox, in the workspace
   * folder; see {@link TerminalRegistry#open}.
   *
   * @throws RefusedException when the session is over (not found), cold, being stopped or has all
   *     the tabs it may have (conflict)
   */
  public synchronized Terminal open(
      Launch launch, int cols, int rows, Terminal.Listener terminalListener)
      throws IOException, RefusedException {
    refuseUnlessLive();
    if (warm == null) {
      throw RefusedException.conflict("the session runs nothing: relaunch one of its tabs");
    }
    if (tabs.size() >= maxTabs) {
      // An ended tab makes room: the oldest goes, with its output.
      Tab ended =
          tabs.stream()
              .filter(tab -> tab.terminal.hasExited())
              .findFirst()
              .orElseThrow(
                  () -> RefusedException.conflict("a session has at most " + maxTabs + " tabs"));
      tabs.remove(ended);
      ended.terminal.discard();
    }
    // Spawned under the lock (a few milliseconds): a concurrent stop() either sees the new
    // terminal or refuses it, and the session cannot end for want of terminals while one starts.
    Terminal terminal = registry.open(warm.sandbox(), launch, cols, rows, ending(terminalListener));
    Tab tab =
        new Tab(
            terminal,
            new TerminalRecord(
                terminal.id(), id, owner, workspaceId, launch.profile(), null, cols, rows));
    tabs.add(tab);
    save(tab);
    return terminal;
  }

  /** Adds the tab an earlier run of the service left: its terminal is cold. */
  void restore(Terminal terminal, TerminalRecord record) {
    tabs.add(new Tab(terminal, record));
  }

  /** {@code terminalListener} with the session hearing of the exit after it. */
  Terminal.Listener ending(Terminal.Listener terminalListener) {
    return Terminal.Listener.replacingExit(
        terminalListener,
        (exited, exitCode) -> {
          terminalListener.onExit(exited, exitCode);
          listener.onTerminalExited(this, exited, exitCode);
          exited(exitCode);
        });
  }

  /**
   * Starts what tab {@code terminalId} ran again in it, in place: same terminal, its output going
   * on after a marker (see {@link Terminal#relaunch}), at its size. A cold session opens its
   * sandbox first, as the owner ({@code admin}: whether they are an administrator).
   *
   * @throws RefusedException when the session is over or has no such tab (not found), is stopping
   *     or the tab runs (conflict)
   */
  public synchronized void relaunch(
      UUID terminalId,
      boolean admin,
      boolean resume,
      List<String> arguments,
      Map<String, String> secrets)
      throws IOException, RefusedException {
    refuseUnlessLive();
    Tab tab = tab(terminalId);
    if (!tab.terminal.hasExited()) {
      throw RefusedException.conflict("the tab is running");
    }
    boolean warmedNow = warm == null;
    if (warmedNow) {
      warm = warmer.warm(admin);
    }
    int[] size = tab.terminal.size();
    try {
      registry.relaunch(
          warm.sandbox(),
          tab.terminal,
          new Launch(tab.record.profile(), resume, arguments, secrets),
          size[0],
          size[1]);
    } catch (IOException | RuntimeException e) {
      if (warmedNow) {
        cool();
      }
      throw e;
    }
  }

  /** Names tab {@code terminalId}; null takes its name away. */
  public synchronized void rename(UUID terminalId, String name) throws RefusedException {
    refuseUnlessLive();
    Tab tab = tab(terminalId);
    tab.record = tab.record.withName(name);
    save(tab);
  }

  /**
   * Forgets tab {@code terminalId}, whose process has exited, and deletes its output. A cold
   * session that loses its last tab is over.
   *
   * @throws RefusedException when there is no such tab (not found) or it runs (conflict)
   */
  public void drop(UUID terminalId) throws RefusedException {
    Tab tab;
    boolean last;
    synchronized (this) {
      refuseUnlessLive();
      tab = tab(terminalId);
      if (!tab.terminal.hasExited()) {
        throw RefusedException.conflict("the tab is running; close it first");
      }
      tabs.remove(tab);
      last = warm == null && tabs.isEmpty();
      over = last;
    }
    tab.terminal.discard();
    if (last) {
      forget.accept(this);
      listener.onEnded(this, 0);
    }
  }

  /** The session's tabs, oldest first. */
  public List<TabStatus> tabs() {
    List<TabStatus> all = new ArrayList<>();
    for (Tab tab : tabs) {
      Terminal terminal = tab.terminal;
      Optional<Integer> exitCode = terminal.exitCode();
      TabStatus.State state =
          !terminal.hasExited()
              ? TabStatus.State.RUNNING
              : exitCode.isPresent() ? TabStatus.State.EXITED : TabStatus.State.COLD;
      all.add(
          new TabStatus(
              terminal.id(),
              tab.record.name(),
              tab.record.profile(),
              state,
              exitCode.orElse(null)));
    }
    return all;
  }

  /** The session's terminals, running or not, oldest first. */
  public List<Terminal> terminals() {
    return tabs.stream().map(tab -> tab.terminal).toList();
  }

  /** The ids of the session's terminals that run now, oldest first. */
  public List<UUID> terminalIds() {
    return tabs.stream()
        .filter(tab -> !tab.terminal.hasExited())
        .map(tab -> tab.terminal.id())
        .toList();
  }

  /**
   * Stops every terminal (see {@link Terminal#close}), then everything else in the sandbox, and
   * refuses new terminals. Blocks for up to about half a second; the end follows through the {@link
   * Listener} once the terminals' exits have been delivered. A cold session ends at once, its tabs
   * deleted.
   */
  public void stop() {
    List<Terminal> all;
    Warm running;
    synchronized (this) {
      if (over) {
        return;
      }
      stopping = true;
      running = warm;
      all = terminals();
      if (running == null) {
        over = true;
      }
    }
    if (running == null) {
      discardTabs();
      forget.accept(this);
      listener.onEnded(this, 0);
      return;
    }
    // Terminals first, so that their programs hear the hang-up and can save their work.
    Terminal.closeAll(all);
    running.sandbox().close();
  }

  /** Gives up a session whose first terminal failed to start: it ends without being reported. */
  void abandon() {
    synchronized (this) {
      if (over || !tabs.isEmpty()) {
        return;
      }
      over = true;
    }
    end();
  }

  private void refuseUnlessLive() throws RefusedException {
    if (over) {
      throw RefusedException.notFound("the session has ended");
    }
    if (stopping) {
      throw RefusedException.conflict("the session is stopping");
    }
  }

  private Tab tab(UUID terminalId) throws RefusedException {
    return tabs.stream()
        .filter(tab -> tab.terminal.id().equals(terminalId))
        .findFirst()
        .orElseThrow(() -> RefusedException.notFound("the session has no such tab"));
  }

  private void save(Tab tab) {
    try {
      tab.terminal.save(tab.record);
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "cannot keep the record of terminal "
              + tab.terminal.id()
              + "; it will not outlive a"
              + " restart",
          e);
    }
  }

  private void exited(int exitCode) {
    synchronized (this) {
      if (over || !terminalIds().isEmpty()) {
        return;
      }
      over = true;
    }
    end();
    listener.onEnded(this, exitCode);
  }

  /**
   * Ends what the terminals left running in the sandbox, frees the workspace and the session id;
   * the id may start a new session right away. The tabs' output goes too, unless the service is
   * shutting down: then they come back cold when it starts again.
   */
  private void end() {
    cool();
    if (!registry.isShutDown()) {
      discardTabs();
    }
    forget.accept(this);
  }

  private synchronized void cool() {
    if (warm != null) {
      warm.sandbox().close();
      warm.workspace().release();
      warm = null;
    }
  }

  private void discardTabs() {
    for (Tab tab : tabs) {
      tab.terminal.discard();
    }
  }
}
