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
import java.nio.file.Path;
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
 */
public final class Terminal {
  private static final Logger LOG = Logger.getLogger(Terminal.class.getName());

  /** Bytes asked for per read; a busy child fills it, an interactive one returns far less. */
  private static final int READ_BYTES = 64 * 1024;

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

    /** The child exited with {@code exitCode}; called once, after the last {@link #onOutput}. */
    void onExit(Terminal terminal, int exitCode);

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

  private final UUID id;
  private final String owner;
  private final String profile;
  private final ActivityDetector activity;
  private final PtyProcess process;
  private final Listener listener;
  private final OutputBuffer buffer;
  private final Screen screen;
  private volatile OutputLog log;
  private final InputStream output;
  private final OutputStream input;
  private final ExecutorService inputWriter;
  private final AtomicLong pendingInput = new AtomicLong();
  private volatile boolean exited;

  private Terminal(
      UUID id,
      String owner,
      Profiles.Profile profile,
      PtyProcess process,
      Retention retention,
      OutputLog log,
      int cols,
      int rows,
      Listener listener) {
    this.id = id;
    this.owner = owner;
    this.profile = profile.name();
    this.activity = new ActivityDetector(profile.agent());
    this.process = process;
    this.listener = listener;
    this.buffer = new OutputBuffer(retention.bufferBytes());
    this.log = log;
    this.screen = new Screen(cols, rows, retention.scrollbackLines());
    this.output = process.getInputStream();
    this.input = process.getOutputStream();
    this.inputWriter =
        Executors.newSingleThreadExecutor(task -> daemon(task, "terminal-" + id + "-input"));
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
    Map<String, String> marked = new HashMap<>(environment);
    marked.put(SessionKiller.TERMINAL_VARIABLE, id.toString());
    PtyProcess process =
        new PtyProcessBuilder(command.toArray(String[]::new))
            .setEnvironment(marked)
            .setDirectory(directory.toString())
            .setInitialColumns(cols)
            .setInitialRows(rows)
            .start();
    Terminal terminal =
        new Terminal(id, owner, profile, process, retention, log, cols, rows, listener);
    daemon(terminal::readUntilExit, "terminal-" + terminal.id + "-output").start();
    return terminal;
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

  /** The child's pid, which is also its session id: pty4j starts it with {@code setsid()}. */
  public long pid() {
    return process.pid();
  }

  /** True once the exit is being or has been delivered to the listener. */
  public boolean hasExited() {
    return exited;
  }

  /**
   * Queues {@code data} for the child's input, in order. Returns false, dropping it, when the
   * terminal has exited or the child has left too much input unread.
   */
  public boolean write(byte[] data) {
    activity.input(now());
    if (pendingInput.addAndGet(data.length) > MAX_PENDING_INPUT) {
      pendingInput.addAndGet(-data.length);
      return false;
    }
    try {
      inputWriter.execute(
          () -> {
            try {
              input.write(data);
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
      process.setWinSize(new WinSize(cols, rows));
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

  /** Deletes the output log; the terminal is over and nobody will resume from it. */
  public void discardLog() {
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
    SessionKiller.stop(terminals.stream().map(Terminal::leader).toList());
  }

  private SessionKiller.Leader leader() {
    return new SessionKiller.Leader(process, id);
  }

  private void readUntilExit() {
    byte[] chunk = new byte[READ_BYTES];
    try {
      int length;
      while (awaitCapacity() && (length = output.read(chunk)) >= 0) {
        synchronized (buffer) {
          long offset = buffer.append(chunk, 0, length);
          appendToLog(chunk, length);
          screen.feed(chunk, 0, length);
          activity.output(now(), screen);
          listener.onOutput(this, offset, Arrays.copyOf(chunk, length));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "reading terminal " + id + " failed; stopping it", e);
    }
    // pty4j ends the stream once the child has exited and its output is drained. Whatever ended
    // it, the terminal is over: nothing of its session may outlive it, and the exit comes last.
    SessionKiller.stop(List.of(leader()));
    int exitCode = awaitExit();
    inputWriter.shutdownNow();
    OutputLog onDisk = log;
    if (onDisk != null) {
      onDisk.close();
    }
    closeQuietly(output);
    closeQuietly(input);
    exited = true;
    activity.exited();
    listener.onExit(this, exitCode);
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

  private int awaitExit() {
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
