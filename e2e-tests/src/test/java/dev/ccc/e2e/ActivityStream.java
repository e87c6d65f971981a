package dev.ccc.e2e;

import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A browser's stream of its user's terminal statuses ({@code GET /api/me/activity}, Server-Sent
 * Events), read as it arrives: every event's JSON, in order.
 */
public final class ActivityStream implements AutoCloseable {
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private final List<JsonObject> seen = new ArrayList<>();
  private final Stream<String> lines;

  private ActivityStream(Stream<String> lines) {
    this.lines = lines;
    Thread reader =
        new Thread(
            () -> {
              try {
                lines
                    .filter(line -> line.startsWith("data:"))
                    .forEach(line -> events.add(new JsonObject(line.substring(5).strip())));
              } catch (UncheckedIOException e) {
                // Closed by the test, or by the server: no more events.
              }
            },
            "activity-stream");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream with {@code token}; returns once the api-service answered 200. */
  static ActivityStream open(String apiUrl, String token) throws Exception {
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(apiUrl + "/api/me/activity"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("/api/me/activity answered " + response.statusCode());
    }
    return new ActivityStream(response.body());
  }

  /** The first event from now on that {@code wanted} accepts; fails after {@code timeout}. */
  public JsonObject await(Predicate<JsonObject> wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonObject event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new AssertionError("no such activity within " + timeout + "; saw " + seen);
      }
      seen.add(event);
      if (wanted.test(event)) {
        return event;
      }
    }
  }

  /** Every event that arrived so far, those {@link #await} went past included. */
  public List<JsonObject> all() {
    events.drainTo(seen);
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    lines.close();
  }
}
