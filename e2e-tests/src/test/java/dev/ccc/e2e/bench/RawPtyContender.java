package dev.ccc.e2e.bench;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import dev.ccc.e2e.WatchedOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bare PTY in the bench's own process, {@code bash --norc} through pty4j, read by a thread of its
 * own: no network and no server, the floor under every web terminal.
 */
final class RawPtyContender implements Contender {
  private final int cols;
  private final int rows;
  private final List<Pty> idle = new ArrayList<>();

  RawPtyContender(int cols, int rows) {
    this.cols = cols;
    this.rows = rows;
  }

  @Override
  public String name() {
    return "raw PTY";
  }

  @Override
  public Terminal open() throws IOException {
    return new Pty();
  }

  @Override
  public void openIdle(int count) throws IOException {
    for (int opened = 0; opened < count; opened++) {
      idle.add(new Pty());
    }
  }

  @Override
  public void closeIdle() {
    idle.forEach(Pty::close);
    idle.clear();
  }

  @Override
  public Map<String, Long> serverPids() {
    return Map.of();
  }

  @Override
  public void close() {
    closeIdle();
  }

  private final class Pty implements Terminal {
    private final WatchedOutput output = new WatchedOutput("the bare PTY");
    private final PtyProcess process;

    Pty() throws IOException {
      Map<String, String> environment = new HashMap<>(System.getenv());
      environment.put("TERM", "xterm-256color");
      process =
          new PtyProcessBuilder(new String[] {"bash", "--norc"})
              .setEnvironment(environment)
              .setInitialColumns(cols)
              .setInitialRows(rows)
              .start();
      Thread reader = new Thread(this::read, "raw-pty-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = process.getInputStream()) {
        int count;
        while ((count = in.read(buffer)) > 0) {
          output.append(ByteBuffer.wrap(buffer, 0, count), System.nanoTime());
        }
      } catch (IOException ended) {
        // The shell is gone, as at the end of its output.
      }
      output.fail("the shell ended");
    }

    @Override
    public void send(byte[] bytes) throws IOException {
      process.getOutputStream().write(bytes);
      process.getOutputStream().flush();
    }

    @Override
    public long awaitOutput(String expected, Duration timeout) throws InterruptedException {
      return output.awaitOutput(expected, timeout);
    }

    @Override
    public long received() {
      return output.received();
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
