package dev.ccc.e2e.bench;

import dev.ccc.e2e.ApiClient;
import dev.ccc.e2e.GatewayClient;
import dev.ccc.e2e.LocalStack;
import dev.ccc.e2e.TerminalIo;
import java.time.Duration;
import java.util.Map;

/**
 * This project's three services, as the web UI uses them: terminals opened over REST as tabs of one
 * session, each viewed on a gateway WebSocket of its own.
 */
final class CloudContender implements Contender {
  private final LocalStack stack;
  private final ApiClient api;
  private final String workspace;
  private final int cols;
  private final int rows;
  private String session;
  private String idleSession;

  CloudContender(LocalStack stack, int cols, int rows) throws Exception {
    this.stack = stack;
    this.api = ApiClient.loginAsAdmin(stack);
    this.workspace = api.createWorkspace("Bench");
    this.cols = cols;
    this.rows = rows;
  }

  LocalStack stack() {
    return stack;
  }

  ApiClient api() {
    return api;
  }

  String workspace() {
    return workspace;
  }

  @Override
  public String name() {
    return "Claude Code Cloud";
  }

  /** A new shell: the bench session's first terminal, then its tabs. Its id. */
  String openShell() throws Exception {
    if (session == null) {
      session = api.createSession(workspace, "bench");
      return api.startSession(session, cols, rows);
    }
    return api.openTab(session, cols, rows);
  }

  /** A gateway WebSocket of its own viewing {@code terminal} on channel 1. */
  GatewayClient view(String terminal) throws Exception {
    GatewayClient client = GatewayClient.connect(stack, api.wsTicket());
    try {
      client.attach(1, terminal);
      return client;
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  @Override
  public Terminal open() throws Exception {
    GatewayClient client = view(openShell());
    TerminalIo channel = client.channel(1);
    return new Terminal() {
      @Override
      public void send(byte[] bytes) throws Exception {
        channel.send(bytes);
      }

      @Override
      public long awaitOutput(String expected, Duration timeout) throws InterruptedException {
        return channel.awaitOutput(expected, timeout);
      }

      @Override
      public long received() {
        return channel.received();
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  @Override
  public void openIdle(int count) throws Exception {
    idleSession = api.createSession(workspace, "idle shells");
    for (int opened = 0; opened < count; opened++) {
      try {
        if (opened == 0) {
          api.startSession(idleSession, cols, rows);
        } else {
          api.openTab(idleSession, cols, rows);
        }
      } catch (Exception e) {
        throw new IllegalStateException("opening shell " + (opened + 1) + " failed", e);
      }
    }
  }

  /** Stops the idle shells' session, which ends them and leaves room under the terminal limit. */
  @Override
  public void closeIdle() throws Exception {
    if (idleSession != null) {
      api.stopSession(idleSession);
      idleSession = null;
    }
  }

  @Override
  public Map<String, Long> serverPids() {
    return stack.pids();
  }

  /** Ends what is left of the idle shells; the stack is its starter's to stop. */
  @Override
  public void close() throws Exception {
    closeIdle();
  }
}
