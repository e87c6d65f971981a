package dev.ccc.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The REST calls a browser makes on the api-service before it opens a WebSocket. */
public final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String apiUrl;
  private String token;

  private ApiClient(String apiUrl) {
    this.apiUrl = apiUrl;
  }

  /** Logs in as the administrator {@link LocalStack} sets up. */
  public static ApiClient loginAsAdmin(LocalStack stack) throws IOException, InterruptedException {
    ApiClient client = new ApiClient(stack.apiUrl());
    client.token =
        client
            .post(
                "/api/auth/login",
                new JsonObject()
                    .put("username", LocalStack.ADMIN)
                    .put("password", LocalStack.ADMIN_PASSWORD))
            .getString("accessToken");
    return client;
  }

  /** Opens a shell and returns the terminal's id. */
  public String openTerminal(int cols, int rows) throws IOException, InterruptedException {
    return post("/api/terminals", new JsonObject().put("cols", cols).put("rows", rows))
        .getString("id");
  }

  /** A fresh single-use ticket for one WebSocket. */
  public String wsTicket() throws IOException, InterruptedException {
    return post("/api/auth/ws-ticket", new JsonObject()).getString("ticket");
  }

  private JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(apiUrl + path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }
}
