package dev.ccc.pty.terminal;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import dev.ccc.bus.BusContract.Activity;
import dev.ccc.pty.activity.ActivityDetector;
import dev.ccc.pty.screen.Screen;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjIntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One child process in a PTY, with what it printed: the recent output in memory ({@link
 * OutputBuffer}), more of it on disk ({@link OutputLog}), and the screen it drew ({@link Screen}).
 *
 * <p>A dedicated reader thread reads the PTY. Every read is appended to the buffer and the log, fed
 * to the screen and handed to the {@link Listener} as one chunk, all under the terminal's lock;
 * {@link #replay} and {@link #resize} take the same lock. So the stream has one order: a replay
 * holds exactly the bytes of the chunks delivered before it, a screen is drawn at the offset where
 * the next chunk delivered starts, and a resize falls between two chunks for the screen as for the
 * child. When the child has exited and its last output has been read, the reader stops what is left
 * of its session and delivers the exit code, once, after the last chunk. An {@link
 * ActivityDetector} watches the output and the keystrokes to tell what the child is doing.
 *
 * <p>Input goes through a second thread, because writing to a PTY blocks while the child is not
 * reading and its input buffer is full.
 *
 * <p>A terminal outlives its process: once the exit is delivered, its output stays readable, and
 * {@link #relaunch} starts a new process in it under the same id. The output then goes on at the
 * next offset, after a marker line written into the stream, so a viewer resuming at an offset still
 * gets exactly the bytes it missed. A terminal {@link #cold rebuilt} from the log of an earlier run
 * of the service is such a terminal whose process is gone.
 */
public final class Terminal {
  private static final Logger LOG = Logger.getLogger(Terminal.class.getName());

  /** Bytes asked for per read; a busy child fills it, an interactive one returns far less. */
  private static final int READ_BYTES = 64 * 1024;

  /** How long a relaunch waits for the delivery of the last exit to finish. */
  private static final Duration EXIT_DELIVERY = Duration.ofSeconds(2);

  /** Input accepted but not yet written to the PTY; beyond it {@link #write} refuses more. */
  private static final long MAX_PENDING_INPUT = 1024 * 1024;

  /** Receives a terminal's output and its exit, on the terminal's reader thread. */
  public interface Listener {
    /**
     * Called before each read, outside the terminal's lock. May block to hold the child back while
     * earlier output is still being delivered: the child then blocks on its own writes.
     */
    default void awaitCapacity(Terminal terminal) throws InterruptedException {}

    /**
     * {@code bytes} (owned by the listener from now on) were printed at {@code offset}. Called with
     * the terminal's lock held, so it must not block.
     */
    void onOutput(Terminal terminal, long offset, byte[] bytes);

    /** The child exited with {@code exitCode}; called once per process, after its last output. */
    void onExit(Terminal terminal, int exitCode);

    /** The terminal is over for good, its output deleted: {@link #discard}. */
    default void onDiscarded(Terminal terminal) {}

    /**
     * {@code listener} with {@code onExit} called in place of its own exit handling; {@code onExit}
     * decides whether, and in which order, to pass the exit on to it.
     */
    static Listener replacingExit(Listener listener, ObjIntConsumer<Terminal> onExit) {
      return new Listener() {
        @Override
        public void awaitCapacity(Terminal terminal) throws InterruptedException {
          listener.awaitCapacity(terminal);
        }

        @Override
        public void onOutput(Terminal terminal, long offset, byte[] bytes) {
          listener.onOutput(terminal, offset, bytes);
        }

        @Override
        public void onExit(Terminal terminal, int exitCode) {
          onExit.accept(terminal, exitCode);
        }

        @Override
        public void onDiscarded(Terminal terminal) {
          listener.onDiscarded(terminal);
        }
      };
    }
  }

  /** What a viewer resuming at an offset gets: the output from there, or the screen. */
  public sealed interface Replay {
    /** Output from {@code slice.start()}; the terminal had printed {@code end} bytes. */
    record Output(OutputBuffer.Slice slice, long end) implements Replay {}

    /** Escape sequences that draw the screen as it was at {@code offset}, the end of the output. */
    record Drawn(long offset, byte[] bytes) implements Replay {}
  }

  /** One process in the terminal's PTY, with its streams and its input thread. */
  private record Run(
      PtyProcess process,
      InputStream output,
      OutputStream input,
      ExecutorService inputWriter,
      AtomicLong pendingInput) {}

  private final UUID id;
  private final String owner;
  private final Path folder;
  private final String profile;
  private final ActivityDetector activity;
  private final Listener listener;
  private final OutputBuffer buffer;
  private final Screen screen;
  private volatile OutputLog log;

  /** The process that runs now or ran last; null for a cold terminal until it is relaunched. */
  private volatile Run run;

  /** True once the exit of {@link #run} is being or has been delivered. */
  private volatile boolean exited;

  /** True once the exit has been delivered (or there was no process): a relaunch may begin. */
  private volatile boolean over;

  /** The last process's exit code; null while none has exited in this run of the service. */
  private volatile Integer exitCode;

  private Terminal(
      UUID id,
      String owner,
      String profile,
      Retention retention,
      OutputLog log,
      long start,
      int cols,
      int rows,
      Listener listener) {
    this.id = id;
    this.owner = owner;
    this.folder = retention.folderOf(id);
    this.profile = profile;
    this.activity = new ActivityDetector(Profiles.isAgent(profile));
    this.listener = listener;
    this.buffer = new OutputBuffer(retention.bufferBytes(), start);
    this.log = log;
    this.screen = new Screen(cols, rows, retention.scrollbackLines());
  }

  /**
   * Starts {@code command}, which runs {@code profile}, for {@code owner} in a new PTY of {@code
   * cols} x {@code rows}.
   */
  static Terminal start(
      String owner,
      Profiles.Profile profile,
      List<String> command,
      Path directory,
      Map<String, String> environment,
      int cols,
      int rows,
      Retention retention,
      Listener listener)
      throws IOException {
    UUID id = UUID.randomUUID();
    OutputLog log = retention.openLog(id);
    Terminal terminal =
        new Terminal(id, owner, profile.name(), retention, log, 0, cols, rows, listener);
    try {
      terminal.spawn(command, directory, environment, cols, rows);
    } catch (IOException | RuntimeException e) {
      terminal.discard();
      throw e;
    }
    return terminal;
  }

  /**
   * Terminal {@code id} as an earlier run of the service left it: its output read back from its log
   * (into memory and onto its screen, of {@code cols} x {@code rows}), no process. {@link
   * #relaunch} starts one.
   */
  static Terminal cold(
      UUID id,
      String owner,
      String profile,
      int cols,
      int rows,
      Retention retention,
      Listener listener)
      throws IOException {
    OutputLog log = retention.reopenLog(id);
    long start = log == null ? 0 : log.startOffset();
    Terminal terminal =
        new Terminal(id, owner, profile, retention, log, start, cols, rows, listener);
    for (long at = start; log != null && at < log.endOffset(); ) {
      Optional<OutputBuffer.Slice> slice = log.read(at, READ_BYTES);
      if (slice.isEmpty()) {
        break;
      }
      byte[] bytes = slice.get().bytes();
      terminal.buffer.append(bytes, 0, bytes.length);
      terminal.screen.feed(bytes, 0, bytes.length);
      at = slice.get().end();
    }
    terminal.exited = true;
    terminal.over = true;
    terminal.activity.exited();
    return terminal;
  }

  /**
   * Starts {@code command} again in this terminal, whose last process has exited (or which is
   * cold), at {@code cols} x {@code rows}. A dim line saying so goes into the output first, after
   * what the last process printed.
   *
   * @throws IllegalStateException when a process runs in it, or another relaunch is under way
   */
  void relaunch(
      List<String> command, Path directory, Map<String, String> environment, int cols, int rows)
      throws IOException {
    synchronized (buffer) {
      awaitOver();
      if (!over) {
        throw new IllegalStateException("the terminal is running");
      }
      over = false;
    }
    try {
      if (!awaitCapacity()) {
        throw new IOException("interrupted while relaunching terminal " + id);
      }
      byte[] marker = relaunchMarker(Instant.now());
      synchronized (buffer) {
        screen.resize(cols, rows);
        deliver(marker, marker.length);
        activity.relaunched();
      }
      spawn(command, directory, environment, cols, rows);
    } catch (IOException | RuntimeException e) {
      over = true;
      throw e;
    }
  }

  /** The line between a process's output and the next one's: dim, with the time in UTC. */
  static byte[] relaunchMarker(Instant when) {
    String time =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC)
            .format(when);
    return ("\u001b[0m\u001b[?25h\r\n\u001b[2m\u2500\u2500 relaunched "
            + time
            + " \u2500\u2500\u001b[0m\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void spawn(
      List<String> command, Path directory, Map<String, String> environment, int cols, int rows)
      throws IOException {
    Map<String, String> marked = new HashMap<>(environment);
    marked.put(SessionKiller.TERMINAL_VARIABLE, id.toString());
    PtyProcess process =
        new PtyProcessBuilder(command.toArray(String[]::new))
            .setEnvironment(marked)
            .setDirectory(directory.toString())
            .setInitialColumns(cols)
            .setInitialRows(rows)
            .start();
    Run started =
        new Run(
            process,
            process.getInputStream(),
            process.getOutputStream(),
            Executors.newSingleThreadExecutor(task -> daemon(task, "terminal-" + id + "-input")),
            new AtomicLong());
    run = started;
    exited = false;
    daemon(() -> readUntilExit(started), "terminal-" + id + "-output").start();
  }

  public UUID id() {
    return id;
  }

  public String owner() {
    return owner;
  }

  /** The name of the profile it runs. */
  public String profile() {
    return profile;
  }

  /**
   * What the child is doing, if that changed since the last call and the change has settled (see
   * {@link ActivityDetector}); nothing once it has exited, which {@link Listener#onExit} tells.
   */
  public Optional<Activity> activityChange() {
    synchronized (buffer) {
      return activity.change(now(), screen);
    }
  }

  /**
   * The child's pid, which is also its session id: pty4j starts it with {@code setsid()}; -1 for a
   * cold terminal.
   */
  public long pid() {
    Run current = run;
    return current == null ? -1 : current.process.pid();
  }

  /** True once the exit is being or has been delivered to the listener, and for a cold terminal. */
  public boolean hasExited() {
    return exited;
  }

  /** The exit code of its last process; empty while one runs, or when it is cold. */
  public Optional<Integer> exitCode() {
    return exited ? Optional.ofNullable(exitCode) : Optional.empty();
  }

  /** The screen's size: the PTY's while a process runs. */
  public int[] size() {
    synchronized (buffer) {
      return new int[] {screen.cols(), screen.rows()};
    }
  }

  /**
   * Queues {@code data} for the child's input, in order. Returns false, dropping it, when the
   * terminal has exited or the child has left too much input unread.
   */
  public boolean write(byte[] data) {
    Run current = run;
    if (current == null || exited) {
      return false;
    }
    activity.input(now());
    AtomicLong pendingInput = current.pendingInput;
    if (pendingInput.addAndGet(data.length) > MAX_PENDING_INPUT) {
      pendingInput.addAndGet(-data.length);
      return false;
    }
    try {
      current.inputWriter.execute(
          () -> {
            try {
              current.input.write(data);
            } catch (IOException e) {
              LOG.log(Level.FINE, "input to terminal " + id + " lost: the PTY is closed", e);
            } finally {
              pendingInput.addAndGet(-data.length);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      pendingInput.addAndGet(-data.length);
      return false;
    }
  }

  /** Sets the size of the PTY and of the screen; the kernel tells the child with SIGWINCH. */
  public void resize(int cols, int rows) {
    synchronized (buffer) {
      screen.resize(cols, rows);
      Run current = run;
      if (current != null && !exited) {
        current.process.setWinSize(new WinSize(cols, rows));
      }
    }
  }

  /**
   * What a viewer that has shown the output up to {@code fromOffset} (null: none of it) needs next:
   * at most {@code maxBytes} of the output from there, from memory or from disk, or the screen when
   * that offset is kept nowhere any more. A viewer with no offset gets the output from the first
   * byte while all of it is still in memory, and the screen after that.
   */
  public Replay replay(Long fromOffset, int maxBytes) {
    long end;
    synchronized (buffer) {
      end = buffer.endOffset();
      long from = fromOffset == null ? 0 : fromOffset;
      if (from >= buffer.startOffset()) {
        return new Replay.Output(buffer.since(from, maxBytes), end);
      }
      if (fromOffset == null || log == null || fromOffset < log.startOffset()) {
        return new Replay.Drawn(end, screen.draw());
      }
    }
    // Off the reader's lock: the log reads from disk. Output delivered meanwhile comes after end.
    OutputLog onDisk = log;
    Optional<OutputBuffer.Slice> slice =
        onDisk == null ? Optional.empty() : onDisk.read(fromOffset, maxBytes);
    if (slice.isPresent()) {
      return new Replay.Output(slice.get(), end);
    }
    synchronized (buffer) {
      return new Replay.Drawn(buffer.endOffset(), screen.draw());
    }
  }

  /**
   * Deletes the terminal's folder, its record and output log: it is over for good and nobody will
   * resume from it or relaunch it. The listener hears of it.
   */
  public void discard() {
    discardLog();
    try {
      OutputLog.deleteFolder(folder);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete the folder of terminal " + id, e);
    }
    listener.onDiscarded(this);
  }

  /** Writes {@code record}, this terminal's, next to its output log. */
  public void save(TerminalRecord record) throws IOException {
    record.write(folder);
  }

  private void discardLog() {
    OutputLog onDisk = log;
    log = null;
    if (onDisk != null) {
      try {
        onDisk.delete();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot delete the output log of terminal " + id, e);
      }
    }
  }

  /**
   * Stops every process of the terminal's session (see {@link SessionKiller}); blocks for up to
   * about half a second. The exit is still delivered to the listener, by the reader thread.
   */
  public void close() {
    closeAll(List.of(this));
  }

  /** {@link #close} for many terminals at once, so that they share one grace period. */
  public static void closeAll(Collection<Terminal> terminals) {
    SessionKiller.stop(
        terminals.stream()
            .filter(terminal -> !terminal.exited)
            .map(terminal -> new SessionKiller.Leader(terminal.run.process, terminal.id))
            .toList());
  }

  private void readUntilExit(Run current) {
    byte[] chunk = new byte[READ_BYTES];
    try {
      int length;
      while (awaitCapacity() && (length = current.output.read(chunk)) >= 0) {
        synchronized (buffer) {
          deliver(chunk, length);
          activity.output(now(), screen);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "reading terminal " + id + " failed; stopping it", e);
    }
    // pty4j ends the stream once the child has exited and its output is drained. Whatever ended
    // it, the terminal is over: nothing of its session may outlive it, and the exit comes last.
    SessionKiller.stop(List.of(new SessionKiller.Leader(current.process, id)));
    int code = awaitExit(current.process);
    current.inputWriter.shutdownNow();
    OutputLog onDisk = log;
    if (onDisk != null) {
      onDisk.close();
    }
    closeQuietly(current.output);
    closeQuietly(current.input);
    exitCode = code;
    exited = true;
    activity.exited();
    listener.onExit(this, code);
    synchronized (buffer) {
      over = true;
      buffer.notifyAll();
    }
  }

  /**
   * Waits, under the lock, for an exit being delivered to have been: a relaunch asked as soon as
   * the exit is heard of must not start before its listeners are done with it.
   */
  private void awaitOver() throws IOException {
    long deadline = System.nanoTime() + EXIT_DELIVERY.toNanos();
    while (exited && !over) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        buffer.wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while relaunching terminal " + id, e);
      }
    }
  }

  /** The next {@code length} bytes of output: kept, drawn and handed on. Under the lock. */
  private void deliver(byte[] chunk, int length) {
    long offset = buffer.append(chunk, 0, length);
    appendToLog(chunk, length);
    screen.feed(chunk, 0, length);
    listener.onOutput(this, offset, Arrays.copyOf(chunk, length));
  }

  /**
   * A log that cannot be written (a full disk) is given up, not the terminal: viewers then resume
   * from memory or get the screen.
   */
  private void appendToLog(byte[] chunk, int length) {
    OutputLog onDisk = log;
    if (onDisk == null) {
      return;
    }
    try {
      onDisk.append(chunk, 0, length);
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, "the output log of terminal " + id + " failed; it stops here", e);
      discardLog();
    }
  }

  private boolean awaitCapacity() {
    try {
      listener.awaitCapacity(this);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int awaitExit(PtyProcess process) {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          return process.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Milliseconds on a clock that only moves forward. */
  private static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  private static void closeQuietly(AutoCloseable stream) {
    try {
      stream.close();
    } catch (Exception e) {
      LOG.log(Level.FINE, "closing a PTY stream failed", e);
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
