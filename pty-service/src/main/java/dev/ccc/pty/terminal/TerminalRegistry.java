package dev.ccc.pty.terminal;

import dev.ccc.pty.sandbox.SessionSandbox;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running terminals of this pty-service. It caps their number, forgets a terminal as soon as
 * its process has exited (its owner decides when its output goes: {@link Terminal#discard}), and
 * stops them all when the service shuts down.
 */
public final class TerminalRegistry {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(3);

  private final TerminalLauncher launcher;
  private final int maxTerminals;
  private final Map<UUID, Terminal> terminals = new ConcurrentHashMap<>();
  private int reserved;
  private boolean shutDown;

  public TerminalRegistry(TerminalLauncher launcher, int maxTerminals) {
    this.launcher = launcher;
    this.maxTerminals = maxTerminals;
  }

  /**
   * Starts a terminal in {@code sandbox} (see {@link TerminalLauncher#launch}). It stays in the
   * registry until its process exits.
   *
   * @throws IOException also when the limit is reached or the service is shutting down
   */
  public Terminal open(
      SessionSandbox sandbox, Launch launch, int cols, int rows, Terminal.Listener listener)
      throws IOException {
    reserveSlot();
    try {
      Terminal terminal = launcher.launch(sandbox, launch, cols, rows, forgettingOnExit(listener));
      added(terminal);
      return terminal;
    } finally {
      releaseSlot();
    }
  }

  /**
   * Starts {@code launch} again in {@code terminal}, whose process has exited, the terminal having
   * been opened here or made {@link #cold} here; see {@link TerminalLauncher#relaunch}.
   *
   * @throws IOException also when the limit is reached or the service is shutting down
   */
  public void relaunch(SessionSandbox sandbox, Terminal terminal, Launch launch, int cols, int rows)
      throws IOException {
    reserveSlot();
    try {
      launcher.relaunch(sandbox, terminal, launch, cols, rows);
      added(terminal);
    } finally {
      releaseSlot();
    }
  }

  /**
   * Terminal {@code record} as an earlier run of the service left it, with no process; {@link
   * #relaunch} starts one.
   */
  public Terminal cold(TerminalRecord record, Terminal.Listener listener) throws IOException {
    return launcher.cold(record, forgettingOnExit(listener));
  }

  private Terminal.Listener forgettingOnExit(Terminal.Listener listener) {
    return Terminal.Listener.replacingExit(
        listener,
        (exited, exitCode) -> {
          terminals.remove(exited.id());
          listener.onExit(exited, exitCode);
        });
  }

  private void added(Terminal terminal) throws IOException {
    if (!add(terminal)) {
      terminal.close();
      throw new IOException("the pty-service is shutting down");
    }
    // A child that exits at once may have been reported before it was added.
    if (terminal.hasExited()) {
      terminals.remove(terminal.id());
    }
  }

  /** The profiles its terminals can run. */
  public Profiles profiles() {
    return launcher.profiles();
  }

  public Optional<Terminal> find(UUID id) {
    return Optional.ofNullable(terminals.get(id));
  }

  /** How many terminals run now. */
  public int size() {
    return terminals.size();
  }

  /**
   * Stops every terminal and refuses new ones. Returns once their exits have been delivered to
   * their listeners, or after a few seconds at most.
   */
  public void closeAll() {
    List<Terminal> all;
    synchronized (this) {
      shutDown = true;
      all = new ArrayList<>(terminals.values());
    }
    Terminal.closeAll(all);
    // Exits follow within milliseconds of the SIGKILL; waiting lets them reach viewers before the
    // service leaves the bus.
    long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
    while (!terminals.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // A slot is held from the limit check until the terminal is in the map (or failed to start), so
  // concurrent opens cannot overshoot the limit while spawning outside the lock.
  private synchronized void reserveSlot() throws IOException {
    if (shutDown) {
      throw new IOException("the pty-service is shutting down");
    }
    if (terminals.size() + reserved >= maxTerminals) {
      throw new IOException("this pty-service already runs its limit of " + maxTerminals);
    }
    reserved++;
  }

  /** Adds a started terminal, unless closeAll() has begun and so would miss it. */
  private synchronized boolean add(Terminal terminal) {
    if (shutDown) {
      return false;
    }
    terminals.put(terminal.id(), terminal);
    return true;
  }

  /** Whether the service is shutting down: its terminals' records and logs then stay. */
  public synchronized boolean isShutDown() {
    return shutDown;
  }

  private synchronized void releaseSlot() {
    reserved--;
  }
}
