package dev.ccc.e2e;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The JDK's WebSocket takes one send at a time: each send here waits for the one before, whichever
 * thread asks.
 */
public final class SendQueue {
  private final WebSocket socket;
  private CompletableFuture<WebSocket> last;

  public SendQueue(WebSocket socket) {
    this.socket = socket;
    this.last = CompletableFuture.completedFuture(socket);
  }

  /** Closes the socket normally, or aborts it if the other side does not answer in time. */
  public void close() {
    try {
      enqueue(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done")).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.abort();
    }
  }

  /** Runs {@code send} after the sends before it, failed or not; completes when it has. */
  public synchronized CompletableFuture<WebSocket> enqueue(
      Function<WebSocket, CompletableFuture<WebSocket>> send) {
    last = last.exceptionally(failed -> socket).thenCompose(send);
    return last;
  }
}
