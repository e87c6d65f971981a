package dev.ccc.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The REST calls a browser makes on the api-service around its WebSocket. */
public final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String apiUrl;
  private String token;
  private String refreshToken;

  private ApiClient(String apiUrl, String token) {
    this.apiUrl = apiUrl;
    this.token = token;
  }

  /** Logs in as the administrator {@link LocalStack} sets up. */
  public static ApiClient loginAsAdmin(LocalStack stack) throws IOException, InterruptedException {
    return login(stack, LocalStack.ADMIN, LocalStack.ADMIN_PASSWORD);
  }

  /** Logs in as {@code username}: a login of its own, as from another device. */
  public static ApiClient login(LocalStack stack, String username, String password)
      throws IOException, InterruptedException {
    ApiClient client = new ApiClient(stack.apiUrl(), null);
    JsonObject tokens =
        client.send(
            "POST",
            "/api/auth/login",
            new JsonObject().put("username", username).put("password", password));
    client.token = tokens.getString("accessToken");
    client.refreshToken = tokens.getString("refreshToken");
    return client;
  }

  /**
   * Logged in as a user made for the caller alone: its running sessions count against nobody else's
   * quota, as the shared admin's do.
   */
  public static ApiClient loginAsNewUser(LocalStack stack) throws Exception {
    String name = "user-" + UUID.randomUUID().toString().substring(0, 8);
    String password = "a long enough password";
    loginAsAdmin(stack).createUser(name, password);
    return login(stack, name, password);
  }

  /** Calls the API with a personal access token instead of a login. */
  public static ApiClient withPersonalAccessToken(LocalStack stack, String token) {
    return new ApiClient(stack.apiUrl(), token);
  }

  /** The bearer token this client sends. */
  public String token() {
    return token;
  }

  /** As an admin: creates a user with the {@code user} role; its id. */
  public String createUser(String username, String password)
      throws IOException, InterruptedException {
    return send(
            "POST",
            "/api/users",
            new JsonObject()
                .put("username", username)
                .put("password", password)
                .put("role", "user"))
        .getString("id");
  }

  /** As an admin: deactivates the user {@code id}. */
  public void deactivate(String id) throws IOException, InterruptedException {
    send("PATCH", "/api/users/" + id, new JsonObject().put("active", false));
  }

  /** Creates a personal access token of this client's user; its secret. */
  public String createPersonalAccessToken(String name) throws IOException, InterruptedException {
    return send("POST", "/api/me/tokens", new JsonObject().put("name", name)).getString("token");
  }

  /** Ends this client's login. */
  public void logout() throws IOException, InterruptedException {
    send("POST", "/api/auth/logout", new JsonObject().put("refreshToken", refreshToken));
  }

  /** Creates an empty workspace; its id. */
  public String createWorkspace(String name) throws IOException, InterruptedException {
    return send("POST", "/api/workspaces", new JsonObject().put("name", name)).getString("id");
  }

  /** Creates an idle shell session in {@code workspace}; its id. */
  public String createSession(String workspace, String name)
      throws IOException, InterruptedException {
    return createSession(workspace, name, "shell");
  }

  /** Creates an idle session in {@code workspace} whose first terminal runs {@code profile}. */
  public String createSession(String workspace, String name, String profile)
      throws IOException, InterruptedException {
    return send(
            "POST",
            "/api/sessions",
            new JsonObject()
                .put("workspaceId", workspace)
                .put("name", name)
                .put("profile", profile))
        .getString("id");
  }

  /** Sets this client's user's API key {@code name}. */
  public void setCredential(String name, String value) throws IOException, InterruptedException {
    send("PUT", "/api/me/credentials/" + name, new JsonObject().put("value", value));
  }

  /** Sets the caller's extra arguments for {@code profile}'s command. */
  public void setProfileArguments(String profile, List<String> words)
      throws IOException, InterruptedException {
    send(
        "PUT",
        "/api/me/profile-arguments/" + profile,
        new JsonObject().put("arguments", new JsonArray(words)));
  }

  /** Starts the session; the id of its first terminal. */
  public String startSession(String session, int cols, int rows)
      throws IOException, InterruptedException {
    return startSession(session, cols, rows, false);
  }

  /** Starts the session, its agent continuing its last conversation if {@code resume}. */
  public String startSession(String session, int cols, int rows, boolean resume)
      throws IOException, InterruptedException {
    return send(
            "POST",
            "/api/sessions/" + session + "/start",
            new JsonObject().put("cols", cols).put("rows", rows).put("resume", resume))
        .getJsonArray("terminals")
        .getString(0);
  }

  /** Opens another shell in the running session; its terminal's id. */
  public String openTab(String session, int cols, int rows)
      throws IOException, InterruptedException {
    return send(
            "POST",
            "/api/sessions/" + session + "/terminals",
            new JsonObject().put("cols", cols).put("rows", rows))
        .getString("id");
  }

  /** Starts what tab {@code terminal} ran again in it, in place; the session afterwards. */
  public JsonObject relaunchTab(String session, String terminal)
      throws IOException, InterruptedException {
    return send(
        "POST",
        "/api/sessions/" + session + "/terminals/" + terminal + "/relaunch",
        new JsonObject());
  }

  /** Stops the session: every process of it ends. */
  public void stopSession(String session) throws IOException, InterruptedException {
    send("POST", "/api/sessions/" + session + "/stop", null);
  }

  /** The session as the api-service shows it. */
  public JsonObject session(String session) throws IOException, InterruptedException {
    return send("GET", "/api/sessions/" + session, null);
  }

  /** Opens the stream of this user's terminal statuses. */
  public ActivityStream activity() throws Exception {
    return ActivityStream.open(apiUrl, token);
  }

  /** This user's notification settings, replaced by {@code settings} when it is not null. */
  public JsonObject notifications(JsonObject settings) throws IOException, InterruptedException {
    return settings == null
        ? send("GET", "/api/me/notifications", null)
        : send("PUT", "/api/me/notifications", settings);
  }

  /** A fresh single-use ticket for one WebSocket. */
  public String wsTicket() throws IOException, InterruptedException {
    return send("POST", "/api/auth/ws-ticket", new JsonObject()).getString("ticket");
  }

  /** Sends {@code body} (none if null) with {@code method}; the answer, which must be a 2xx. */
  private JsonObject send(String method, String path, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(apiUrl + path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }
}
