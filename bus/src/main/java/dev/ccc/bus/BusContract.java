package dev.ccc.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The event-bus contract between the api-service, the ws-gateway and the pty-service: every
 * address, every message and every failure code, in one place. {@code docs/architecture.md} mirrors
 * it.
 *
 * <p>Control messages are small JSON objects, validated on receipt ({@link #parse} methods throw
 * {@link InvalidMessage}). Terminal bytes travel as raw {@link Buffer}s with a fixed binary header
 * ({@link OutputChunk}, {@link InputChunk}): no JSON and no base64 on the hot path.
 *
 * <p>The bus is internal: only the three services join it. Still, it trusts no user id it cannot
 * verify: every message that acts for a user carries a proof, made with the installation's {@link
 * BusKey} by the service that authenticated that user ({@link BusProof}). Such messages are made
 * only by codecs that take the key ({@link PtyRequest}, {@link Control}, {@link SessionControl},
 * {@link InputChunk}) and read only by codecs that check the proof first, before anything else,
 * throwing {@link UnprovenMessage}. The pty-service then checks that the user named owns the
 * terminal or session, so a bug in one front service cannot hand one user's shell to another.
 */
public final class BusContract {
  private BusContract() {}

  // ---- Addresses -------------------------------------------------------------------------------

  /**
   * Request, served by every pty-service: create a workspace folder, empty with a README or by
   * cloning a repository. Body {@link CreateWorkspace}; the reply (empty) comes when an empty
   * folder is ready, or as soon as a clone is under way: a clone may take minutes, and its outcome
   * is published as {@link WorkspaceMade} on {@link #PTY_WORKSPACE_EVENTS}.
   */
  public static final String PTY_WORKSPACE_CREATE = "ccc.pty.workspace.create";

  /**
   * Publish, by the pty-service that cloned a workspace: the clone is done or failed. Body {@link
   * WorkspaceMade}.
   */
  public static final String PTY_WORKSPACE_EVENTS = "ccc.pty.workspace.events";

  /**
   * Request, served by every pty-service: is a workspace folder there, still being made, or absent?
   * Body {@link WorkspaceStatus}; reply {@link WorkspaceFolder}.
   */
  public static final String PTY_WORKSPACE_STATUS = "ccc.pty.workspace.status";

  /**
   * Request, served by every pty-service: delete a workspace folder. Body {@link DeleteWorkspace}.
   */
  public static final String PTY_WORKSPACE_DELETE = "ccc.pty.workspace.delete";

  /**
   * Request, served by every pty-service: start a session in its workspace with a first terminal.
   * Body {@link StartSession}; reply {@link TerminalOpened}. Fails with {@link #FAILURE_CONFLICT}
   * if the session is already running.
   */
  public static final String PTY_SESSION_START = "ccc.pty.session.start";

  /**
   * Publish, by the pty-service running a session: the session ended. Body {@link SessionEnded}.
   */
  public static final String PTY_SESSION_EVENTS = "ccc.pty.session.events";

  /**
   * Publish, by a pty-service once it serves requests: it has just started, so whatever sessions an
   * earlier run of it had are gone. Body {@link PtyStarted}.
   */
  public static final String PTY_STARTED = "ccc.pty.started";

  /**
   * Request, served by every pty-service: the profiles its terminals can run. Empty body; reply
   * {@link ProfileList}. It acts for nobody, so it carries no proof.
   */
  public static final String PTY_PROFILES = "ccc.pty.profiles";

  /**
   * Request, served by the pty-service running the session: {@link OpenTab}, {@link StopSession} or
   * {@link SessionStatus}, told apart by the {@code op} field. No handler means the session is not
   * running anywhere.
   */
  public static String sessionControl(String sessionId) {
    return "ccc.pty.session." + sessionId + ".control";
  }

  /**
   * Request, served by the api-service: the public key that verifies its JWTs. Empty body; reply
   * {@link PublicKey}.
   */
  public static final String AUTH_PUBLIC_KEY = "ccc.auth.public-key";

  /**
   * Request, served by the api-service: may this user still use this credential (a login or a
   * personal access token)? Body {@link CredentialCheck}; reply {@link CredentialStatus}.
   */
  public static final String AUTH_CHECK = "ccc.auth.check";

  /**
   * Publish, by the api-service: credentials were revoked (logout, deactivation, password change).
   * Body {@link Revoked}; gateways close the affected sockets and forget cached checks.
   */
  public static final String AUTH_REVOKED = "ccc.auth.revoked";

  /** Send, served by the terminal's pty-service: keystrokes. Body {@link InputChunk}. */
  public static String terminalInput(String terminalId) {
    return "ccc.pty.terminal." + terminalId + ".input";
  }

  /**
   * Publish, by the pty-service running a terminal: what the terminal's program is doing changed
   * (working, waiting for its user, idle, exited). Body {@link TerminalStatus}, proven: it makes
   * notifications reach a user.
   */
  public static final String PTY_TERMINAL_STATUS = "ccc.pty.terminal.status";

  /**
   * Request, served by the terminal's pty-service: {@link Attach} (reply {@link AttachReply}),
   * {@link Resize}, {@link SizeQuery} or {@link Close}, told apart by the {@code op} field.
   */
  public static String terminalControl(String terminalId) {
    return "ccc.pty.terminal." + terminalId + ".control";
  }

  /** Publish, by the terminal's pty-service: every output byte once. Body {@link OutputChunk}. */
  public static String terminalOutput(String terminalId) {
    return "ccc.pty.terminal." + terminalId + ".output";
  }

  /**
   * Publish, by the terminal's pty-service: lifecycle events, {@link Exited} or {@link Resized},
   * told apart by the {@code event} field ({@link #parseEvent}).
   */
  public static String terminalEvents(String terminalId) {
    return "ccc.pty.terminal." + terminalId + ".events";
  }

  // ---- Failure codes (ReplyException.failureCode) ----------------------------------------------

  /** The message was malformed; the text says which field. */
  public static final int FAILURE_INVALID = 400;

  /**
   * The message acts for a user but carries no valid proof that a service sent it: none, one under
   * another key, for another address or other fields, or made too long ago.
   */
  public static final int FAILURE_UNPROVEN = 401;

  /** The user named in the message does not own the terminal. */
  public static final int FAILURE_FORBIDDEN = 403;

  /** No such terminal, or it has exited. */
  public static final int FAILURE_NOT_FOUND = 404;

  /** The request contradicts the current state (e.g. starting a running session). */
  public static final int FAILURE_CONFLICT = 409;

  /** The pty-service could not do it (spawn failed, limit reached). */
  public static final int FAILURE_UNAVAILABLE = 503;

  // ---- Limits ----------------------------------------------------------------------------------

  /** Terminal width and height are each within 1..1000. */
  public static final int MIN_DIMENSION = 1;

  public static final int MAX_DIMENSION = 1000;

  /**
   * Most output bytes in one {@link AttachReply}: a viewer far behind reads its way forward in
   * replies of this size rather than in one message as large as the terminal's disk log.
   */
  public static final int MAX_REPLAY_BYTES = 1024 * 1024;

  /** Largest input chunk the pty-service accepts in one message. */
  public static final int MAX_INPUT_BYTES = 64 * 1024;

  // ---- Control messages ------------------------------------------------------------------------

  /**
   * Reply to {@link StartSession} and {@link OpenTab}: the server-generated id of the new terminal.
   */
  public record TerminalOpened(String terminalId) {
    public TerminalOpened {
      requireUuid("terminalId", terminalId);
    }

    public JsonObject toJson() {
      return new JsonObject().put("terminalId", terminalId);
    }

    public static TerminalOpened parse(Object body) {
      return new TerminalOpened(string(object(body), "terminalId"));
    }
  }

  /** A control request on {@link #terminalControl}; {@link #parseControl} picks the variant. */
  public sealed interface Control permits Attach, Resize, SizeQuery, Close {
    /** The user on whose behalf the request is made; must own the terminal. */
    String user();

    /** Its body for {@code terminalId}'s control address, with a proof under {@code key}. */
    JsonObject toJson(BusKey key, String terminalId);
  }

  /**
   * Start viewing, or read on: the reply is an {@link AttachReply} holding at most {@link
   * #MAX_REPLAY_BYTES} of the output from {@code fromOffset} (from memory or the terminal's disk
   * log), or, when that offset is kept nowhere any more or the viewer has none ({@code fromOffset}
   * null: it has shown nothing), the terminal's screen. Live output arrives on {@link
   * #terminalOutput}: subscribe first, then attach, ask again from the end of each reply until it
   * reaches the terminal's end, and drop from the live output what the replies covered.
   */
  public record Attach(String user, Long fromOffset) implements Control {
    public Attach {
      requireId("user", user);
      if (fromOffset != null && fromOffset < 0) {
        throw new InvalidMessage("fromOffset must be >= 0");
      }
    }

    @Override
    public JsonObject toJson(BusKey key, String terminalId) {
      return BusProof.sign(
          key,
          terminalControl(terminalId),
          new JsonObject().put("op", "attach").put("user", user).put("fromOffset", fromOffset));
    }
  }

  /** Resize the terminal's PTY. Reply is empty. */
  public record Resize(String user, int cols, int rows) implements Control {
    public Resize {
      requireId("user", user);
      requireDimension("cols", cols);
      requireDimension("rows", rows);
    }

    @Override
    public JsonObject toJson(BusKey key, String terminalId) {
      return BusProof.sign(
          key,
          terminalControl(terminalId),
          new JsonObject()
              .put("op", "resize")
              .put("user", user)
              .put("cols", cols)
              .put("rows", rows));
    }
  }

  /**
   * Ask the terminal's size. Reply is a {@link TerminalSize}; later changes are published as {@link
   * Resized}, after the reply to a query asked before them.
   */
  public record SizeQuery(String user) implements Control {
    public SizeQuery {
      requireId("user", user);
    }

    @Override
    public JsonObject toJson(BusKey key, String terminalId) {
      return BusProof.sign(
          key, terminalControl(terminalId), new JsonObject().put("op", "size").put("user", user));
    }
  }

  /** A terminal's size in characters. */
  public record TerminalSize(int cols, int rows) {
    public TerminalSize {
      requireDimension("cols", cols);
      requireDimension("rows", rows);
    }

    public JsonObject toJson() {
      return new JsonObject().put("cols", cols).put("rows", rows);
    }

    public static TerminalSize parse(Object body) {
      JsonObject json = object(body);
      return new TerminalSize(integer(json, "cols"), integer(json, "rows"));
    }
  }

  /** Stop the terminal: hang up its session, then kill whatever is left. Reply is empty. */
  public record Close(String user) implements Control {
    public Close {
      requireId("user", user);
    }

    @Override
    public JsonObject toJson(BusKey key, String terminalId) {
      return BusProof.sign(
          key, terminalControl(terminalId), new JsonObject().put("op", "close").put("user", user));
    }
  }

  /**
   * The request {@code body}, received on {@code terminalId}'s control address.
   *
   * @throws UnprovenMessage if it carries no valid proof under {@code key}; checked first
   * @throws InvalidMessage if it is proven but malformed
   */
  public static Control parseControl(Object body, BusKey key, String terminalId) {
    JsonObject json = proven(body, key, terminalControl(terminalId));
    String op = string(json, "op");
    return switch (op) {
      case "attach" ->
          new Attach(
              string(json, "user"),
              json.getValue("fromOffset") == null ? null : longValue(json, "fromOffset"));
      case "resize" ->
          new Resize(string(json, "user"), integer(json, "cols"), integer(json, "rows"));
      case "size" -> new SizeQuery(string(json, "user"));
      case "close" -> new Close(string(json, "user"));
      default -> throw new InvalidMessage("unknown op '" + op + "'");
    };
  }

  /** An event on {@link #terminalEvents}. */
  public sealed interface TerminalEvent permits Exited, Resized {}

  /** The event {@code body}: {@link Exited} or {@link Resized}. */
  public static TerminalEvent parseEvent(Object body) {
    JsonObject json = object(body);
    String event = string(json, "event");
    return switch (event) {
      case "exited" -> Exited.parse(json);
      case "resized" -> Resized.parse(json);
      default -> throw new InvalidMessage("unknown event '" + event + "'");
    };
  }

  /** Published whenever the terminal's size changed. */
  public record Resized(String terminalId, TerminalSize size) implements TerminalEvent {
    public Resized {
      requireUuid("terminalId", terminalId);
    }

    public JsonObject toJson() {
      return size.toJson().put("event", "resized").put("terminalId", terminalId);
    }

    public static Resized parse(Object body) {
      JsonObject json = object(body);
      return new Resized(string(json, "terminalId"), TerminalSize.parse(json));
    }
  }

  /** Published once when the terminal's process has exited; {@code exitCode} as the OS gave it. */
  public record Exited(String terminalId, int exitCode) implements TerminalEvent {
    public Exited {
      requireUuid("terminalId", terminalId);
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("event", "exited")
          .put("terminalId", terminalId)
          .put("exitCode", exitCode);
    }

    public static Exited parse(Object body) {
      JsonObject json = object(body);
      return new Exited(string(json, "terminalId"), integer(json, "exitCode"));
    }
  }

  /** What a terminal's program is doing, as its output shows it. */
  public enum Activity {
    /** It printed something in the last few seconds. */
    WORKING,
    /**
     * It needs its user: it rang the bell, asked for a notification, shows a question, or an agent
     * fell quiet.
     */
    WAITING,
    /** Nothing happened for a while, and it is not an agent that would wait for its user. */
    IDLE,
    /** Its process has exited. */
    EXITED
  }

  /**
   * {@code terminal}, a tab of {@code session} of {@code owner} running {@code profile}, is now
   * {@code activity}; {@code exitCode} is set when, and only when, it has exited. Carries the
   * pty-service's proof, so that no member of the bus can make a user's browser say "needs you".
   */
  public record TerminalStatus(
      String owner,
      String session,
      String terminal,
      String profile,
      Activity activity,
      Integer exitCode) {
    public TerminalStatus {
      requireId("owner", owner);
      requireUuid("session", session);
      requireUuid("terminal", terminal);
      requireProfile(profile);
      if (activity == null) {
        throw new InvalidMessage("activity must be one of " + List.of(Activity.values()));
      }
      if ((activity == Activity.EXITED) != (exitCode != null)) {
        throw new InvalidMessage("exitCode is given when, and only when, the terminal exited");
      }
    }

    public JsonObject toJson(BusKey key) {
      return BusProof.sign(
          key,
          PTY_TERMINAL_STATUS,
          new JsonObject()
              .put("owner", owner)
              .put("session", session)
              .put("terminal", terminal)
              .put("profile", profile)
              .put("activity", activity.name())
              .put("exitCode", exitCode));
    }

    /** Checks the proof under {@code key} first, as {@link #parseControl} does. */
    public static TerminalStatus parse(Object body, BusKey key) {
      JsonObject json = proven(body, key, PTY_TERMINAL_STATUS);
      Activity activity;
      try {
        activity = Activity.valueOf(string(json, "activity"));
      } catch (IllegalArgumentException e) {
        throw new InvalidMessage("activity must be one of " + List.of(Activity.values()));
      }
      Object exitCode = json.getValue("exitCode");
      return new TerminalStatus(
          string(json, "owner"),
          string(json, "session"),
          string(json, "terminal"),
          string(json, "profile"),
          activity,
          exitCode == null ? null : integer(json, "exitCode"));
    }
  }

  // ---- Workspaces and sessions ------------------------------------------------------------------

  /**
   * A request that acts for a user, sent to every pty-service at a fixed address: {@link
   * CreateWorkspace}, {@link WorkspaceStatus}, {@link DeleteWorkspace}, {@link StartSession}.
   */
  public sealed interface PtyRequest
      permits CreateWorkspace, WorkspaceStatus, DeleteWorkspace, StartSession {
    /** Where it is sent. */
    String address();

    /** Its body, with a proof under {@code key}. */
    JsonObject toJson(BusKey key);
  }

  /**
   * Create the folder of {@code workspace} for {@code owner}: empty with a README when {@code
   * cloneUrl} is null, else a shallow clone (depth 1) of {@code cloneUrl}, at {@code branch} if
   * given. The URL never carries credentials. {@code admin}: whether the owner is an administrator,
   * as in {@link StartSession}; where the machine cannot sandbox, only their clones run.
   */
  public record CreateWorkspace(
      String owner, String workspace, String cloneUrl, String branch, boolean admin)
      implements PtyRequest {
    public CreateWorkspace {
      requireId("owner", owner);
      requireUuid("workspace", workspace);
      if (cloneUrl != null) {
        requireCloneUrl(cloneUrl);
      }
      if (branch != null) {
        if (cloneUrl == null) {
          throw new InvalidMessage("branch needs a cloneUrl");
        }
        requireBranch(branch);
      }
    }

    @Override
    public String address() {
      return PTY_WORKSPACE_CREATE;
    }

    @Override
    public JsonObject toJson(BusKey key) {
      return BusProof.sign(
          key,
          address(),
          new JsonObject()
              .put("owner", owner)
              .put("workspace", workspace)
              .put("cloneUrl", cloneUrl)
              .put("branch", branch)
              .put("admin", admin));
    }

    /** Checks the proof under {@code key} first, as {@link #parseControl} does. */
    public static CreateWorkspace parse(Object body, BusKey key) {
      JsonObject json = proven(body, key, PTY_WORKSPACE_CREATE);
      return new CreateWorkspace(
          string(json, "owner"),
          string(json, "workspace"),
          optionalString(json, "cloneUrl"),
          optionalString(json, "branch"),
          flag(json, "admin"));
    }
  }

  /**
   * The clone of {@code workspace} for {@code owner} is over: the folder is ready when {@code
   * error} is null, else it is gone and {@code error} says why (git's reason, or a timeout).
   */
  public record WorkspaceMade(String owner, String workspace, String error) {
    public WorkspaceMade {
      requireId("owner", owner);
      requireUuid("workspace", workspace);
    }

    public JsonObject toJson() {
      return new JsonObject().put("owner", owner).put("workspace", workspace).put("error", error);
    }

    public static WorkspaceMade parse(Object body) {
      JsonObject json = object(body);
      return new WorkspaceMade(
          string(json, "owner"), string(json, "workspace"), optionalString(json, "error"));
    }
  }

  /**
   * Where the folder of {@code workspace} of {@code owner} stands. Reply {@link WorkspaceFolder}.
   */
  public record WorkspaceStatus(String owner, String workspace) implements PtyRequest {
    public WorkspaceStatus {
      requireId("owner", owner);
      requireUuid("workspace", workspace);
    }

    @Override
    public String address() {
      return PTY_WORKSPACE_STATUS;
    }

    @Override
    public JsonObject toJson(BusKey key) {
      return BusProof.sign(key, address(), folder(owner, workspace));
    }

    /** Checks the proof under {@code key} first, as {@link #parseControl} does. */
    public static WorkspaceStatus parse(Object body, BusKey key) {
      JsonObject json = proven(body, key, PTY_WORKSPACE_STATUS);
      return new WorkspaceStatus(string(json, "owner"), string(json, "workspace"));
    }
  }

  /** Reply to {@link WorkspaceStatus}. */
  public record WorkspaceFolder(Presence presence) {
    /** Whether the folder is there. */
    public enum Presence {
      /** Being made (a clone running or waiting for its turn) or being deleted. */
      BUSY,
      /** There, ready for sessions. */
      READY,
      /** Not there: never made, failed, or deleted. */
      ABSENT
    }

    public WorkspaceFolder {
      if (presence == null) {
        throw new InvalidMessage("presence must be one of " + List.of(Presence.values()));
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("presence", presence.name());
    }

    public static WorkspaceFolder parse(Object body) {
      String presence = string(object(body), "presence");
      try {
        return new WorkspaceFolder(Presence.valueOf(presence));
      } catch (IllegalArgumentException e) {
        throw new InvalidMessage("presence must be one of " + List.of(Presence.values()));
      }
    }
  }

  /** The fields of {@link WorkspaceStatus} and {@link DeleteWorkspace}: whose folder, which. */
  private static JsonObject folder(String owner, String workspace) {
    return new JsonObject().put("owner", owner).put("workspace", workspace);
  }

  /** Delete the folder of {@code workspace}; fails with 409 while a session runs in it. */
  public record DeleteWorkspace(String owner, String workspace) implements PtyRequest {
    public DeleteWorkspace {
      requireId("owner", owner);
      requireUuid("workspace", workspace);
    }

    @Override
    public String address() {
      return PTY_WORKSPACE_DELETE;
    }

    @Override
    public JsonObject toJson(BusKey key) {
      return BusProof.sign(key, address(), folder(owner, workspace));
    }

    /** Checks the proof under {@code key} first, as {@link #parseControl} does. */
    public static DeleteWorkspace parse(Object body, BusKey key) {
      JsonObject json = proven(body, key, PTY_WORKSPACE_DELETE);
      return new DeleteWorkspace(string(json, "owner"), string(json, "workspace"));
    }
  }

  /**
   * Start {@code session} of {@code owner}: its first terminal runs {@code profile} in the folder
   * of {@code workspace}, resuming the agent's last conversation if {@code resume}, with {@code
   * secrets} (the owner's API keys the profile takes) in its environment; they cross the bus sealed
   * under the bus key. {@code admin}: whether the owner is an administrator. From then on the
   * session answers on {@link #sessionControl}.
   */
  public record StartSession(
      String owner,
      String session,
      String workspace,
      String profile,
      int cols,
      int rows,
      boolean admin,
      boolean resume,
      List<String> arguments,
      Map<String, String> secrets)
      implements PtyRequest {
    public StartSession {
      requireId("owner", owner);
      requireUuid("session", session);
      requireUuid("workspace", workspace);
      requireProfile(profile);
      requireDimension("cols", cols);
      requireDimension("rows", rows);
      arguments = requireArguments(arguments);
      secrets = requireSecrets(secrets);
    }

    @Override
    public String toString() {
      return describeLaunch(
          "StartSession[owner=" + owner + ", session=" + session + ", profile=" + profile,
          resume,
          arguments,
          secrets);
    }

    /** A start of a fresh conversation, with no extra arguments and no secrets. */
    public StartSession(
        String owner,
        String session,
        String workspace,
        String profile,
        int cols,
        int rows,
        boolean admin) {
      this(owner, session, workspace, profile, cols, rows, admin, false, List.of(), Map.of());
    }

    @Override
    public String address() {
      return PTY_SESSION_START;
    }

    @Override
    public JsonObject toJson(BusKey key) {
      return BusProof.sign(
          key,
          address(),
          new JsonObject()
              .put("owner", owner)
              .put("session", session)
              .put("workspace", workspace)
              .put("profile", profile)
              .put("cols", cols)
              .put("rows", rows)
              .put("admin", admin)
              .mergeIn(launchFields(key, address(), resume, arguments, secrets)));
    }

    /** Checks the proof under {@code key} first, as {@link #parseControl} does. */
    public static StartSession parse(Object body, BusKey key) {
      JsonObject json = proven(body, key, PTY_SESSION_START);
      return new StartSession(
          string(json, "owner"),
          string(json, "session"),
          string(json, "workspace"),
          string(json, "profile"),
          integer(json, "cols"),
          integer(json, "rows"),
          flag(json, "admin"),
          optionalFlag(json, "resume"),
          optionalEncodedStrings(json, "arguments"),
          openedSecrets(json, key, PTY_SESSION_START));
    }
  }

  /** A request on {@link #sessionControl}; {@link #parseSessionControl} picks the variant. */
  public sealed interface SessionControl
      permits OpenTab, StopSession, SessionStatus, RenameTab, RelaunchTab, DropTab {
    /** The user on whose behalf the request is made; must own the session. */
    String user();

    /** Its body for {@code sessionId}'s control address, with a proof under {@code key}. */
    JsonObject toJson(BusKey key, String sessionId);
  }

  /**
   * Open another terminal in the running session; {@code admin}: whether its owner is an
   * administrator. Reply {@link TerminalOpened}.
   */
  public record OpenTab(
      String user,
      String profile,
      int cols,
      int rows,
      boolean admin,
      boolean resume,
      List<String> arguments,
      Map<String, String> secrets)
      implements SessionControl {
    public OpenTab {
      requireId("user", user);
      requireProfile(profile);
      requireDimension("cols", cols);
      requireDimension("rows", rows);
      arguments = requireArguments(arguments);
      secrets = requireSecrets(secrets);
    }

    @Override
    public String toString() {
      return describeLaunch(
          "OpenTab[user=" + user + ", profile=" + profile, resume, arguments, secrets);
    }

    /** A tab with a fresh conversation, no extra arguments and no secrets. */
    public OpenTab(String user, String profile, int cols, int rows, boolean admin) {
      this(user, profile, cols, rows, admin, false, List.of(), Map.of());
    }

    @Override
    public JsonObject toJson(BusKey key, String sessionId) {
      return BusProof.sign(
          key,
          sessionControl(sessionId),
          new JsonObject()
              .put("op", "open-tab")
              .put("user", user)
              .put("profile", profile)
              .put("cols", cols)
              .put("rows", rows)
              .put("admin", admin)
              .mergeIn(launchFields(key, sessionControl(sessionId), resume, arguments, secrets)));
    }
  }

  /**
   * Stop every process of the session; reply (empty) once they are gone. {@link SessionEnded}
   * follows.
   */
  public record StopSession(String user) implements SessionControl {
    public StopSession {
      requireId("user", user);
    }

    @Override
    public JsonObject toJson(BusKey key, String sessionId) {
      return BusProof.sign(
          key, sessionControl(sessionId), new JsonObject().put("op", "stop").put("user", user));
    }
  }

  /**
   * Name tab {@code terminalId} of the session, running or not; every viewer sees the name. Reply
   * is empty.
   */
  public record RenameTab(String user, String terminalId, String name) implements SessionControl {
    public RenameTab {
      requireId("user", user);
      requireUuid("terminalId", terminalId);
      requireTabName(name);
    }

    @Override
    public JsonObject toJson(BusKey key, String sessionId) {
      return BusProof.sign(
          key,
          sessionControl(sessionId),
          new JsonObject()
              .put("op", "rename-tab")
              .put("user", user)
              .put("terminalId", terminalId)
              .put("name", name));
    }
  }

  /**
   * Start what tab {@code terminalId} ran again, in place: same terminal id, its profile, its size,
   * its output going on after a marker line. Allowed when its process has exited, and for a cold
   * tab (an earlier run of the pty-service left it), which makes the session live again; {@code
   * admin}: whether the owner is an administrator. Reply is empty.
   */
  public record RelaunchTab(
      String user,
      String terminalId,
      boolean admin,
      boolean resume,
      List<String> arguments,
      Map<String, String> secrets)
      implements SessionControl {
    public RelaunchTab {
      requireId("user", user);
      requireUuid("terminalId", terminalId);
      arguments = requireArguments(arguments);
      secrets = requireSecrets(secrets);
    }

    @Override
    public String toString() {
      return describeLaunch(
          "RelaunchTab[user=" + user + ", terminal=" + terminalId, resume, arguments, secrets);
    }

    @Override
    public JsonObject toJson(BusKey key, String sessionId) {
      return BusProof.sign(
          key,
          sessionControl(sessionId),
          new JsonObject()
              .put("op", "relaunch-tab")
              .put("user", user)
              .put("terminalId", terminalId)
              .put("admin", admin)
              .mergeIn(launchFields(key, sessionControl(sessionId), resume, arguments, secrets)));
    }
  }

  /**
   * Forget tab {@code terminalId}, whose process has exited (or which is cold), and delete its
   * output; a cold session without tabs is over. Reply is empty.
   */
  public record DropTab(String user, String terminalId) implements SessionControl {
    public DropTab {
      requireId("user", user);
      requireUuid("terminalId", terminalId);
    }

    @Override
    public JsonObject toJson(BusKey key, String sessionId) {
      return BusProof.sign(
          key,
          sessionControl(sessionId),
          new JsonObject().put("op", "drop-tab").put("user", user).put("terminalId", terminalId));
    }
  }

  /** Which terminals the session runs, and its tabs. Reply {@link SessionTerminals}. */
  public record SessionStatus(String user) implements SessionControl {
    public SessionStatus {
      requireId("user", user);
    }

    @Override
    public JsonObject toJson(BusKey key, String sessionId) {
      return BusProof.sign(
          key, sessionControl(sessionId), new JsonObject().put("op", "status").put("user", user));
    }
  }

  /**
   * The request {@code body}, received on {@code sessionId}'s control address; checks the proof
   * under {@code key} first, as {@link #parseControl} does.
   */
  public static SessionControl parseSessionControl(Object body, BusKey key, String sessionId) {
    JsonObject json = proven(body, key, sessionControl(sessionId));
    String op = string(json, "op");
    return switch (op) {
      case "open-tab" ->
          new OpenTab(
              string(json, "user"),
              string(json, "profile"),
              integer(json, "cols"),
              integer(json, "rows"),
              flag(json, "admin"),
              optionalFlag(json, "resume"),
              optionalEncodedStrings(json, "arguments"),
              openedSecrets(json, key, sessionControl(sessionId)));
      case "stop" -> new StopSession(string(json, "user"));
      case "status" -> new SessionStatus(string(json, "user"));
      case "rename-tab" ->
          new RenameTab(string(json, "user"), string(json, "terminalId"), string(json, "name"));
      case "relaunch-tab" ->
          new RelaunchTab(
              string(json, "user"),
              string(json, "terminalId"),
              flag(json, "admin"),
              optionalFlag(json, "resume"),
              optionalEncodedStrings(json, "arguments"),
              openedSecrets(json, key, sessionControl(sessionId)));
      case "drop-tab" -> new DropTab(string(json, "user"), string(json, "terminalId"));
      default -> throw new InvalidMessage("unknown op '" + op + "'");
    };
  }

  /**
   * What a terminal may run: {@code name} for requests, {@code label} for people, {@code secrets}
   * the variables of a user's API keys it takes, {@code resumable} whether a relaunch can resume
   * its last conversation, {@code options} what a user may add to its command.
   */
  public record ProfileInfo(
      String name,
      String label,
      List<String> secrets,
      boolean resumable,
      List<ProfileOption> options) {
    public ProfileInfo {
      requireProfile(name);
      if (label == null || label.isBlank() || label.length() > 64) {
        throw new InvalidMessage("a profile's label is 1-64 characters");
      }
      secrets.forEach(BusContract::requireSecretName);
      secrets = List.copyOf(secrets);
      options = List.copyOf(options);
      if (options.stream().map(ProfileOption::name).distinct().count() != options.size()) {
        throw new InvalidMessage("a profile names each option once");
      }
    }

    /**
     * @throws InvalidMessage unless {@code arguments} are options this profile allows, each at most
     *     once, each followed by a value its pattern accepts if it takes one; the message says
     *     which argument is wrong and what is allowed
     */
    public void checkArguments(List<String> arguments) {
      requireArguments(arguments);
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < arguments.size(); i++) {
        String argument = arguments.get(i);
        ProfileOption option =
            options.stream()
                .filter(allowed -> allowed.name().equals(argument))
                .findFirst()
                .orElseThrow(
                    () ->
                        new InvalidMessage(
                            "'"
                                + argument
                                + "' is not an option "
                                + label
                                + " allows here; it allows "
                                + (options.isEmpty()
                                    ? "none"
                                    : String.join(
                                        ", ",
                                        options.stream().map(ProfileOption::describe).toList()))));
        if (seen.contains(option.name())) {
          throw new InvalidMessage(option.name() + " is given twice");
        }
        seen.add(option.name());
        if (option.values() != null) {
          // A value never starts with a dash, which the agent could read as an option of its own.
          if (i + 1 == arguments.size()
              || arguments.get(i + 1).startsWith("-")
              || !Pattern.compile(option.values()).matcher(arguments.get(i + 1)).matches()) {
            throw new InvalidMessage(
                option.describe() + " needs a value matching that pattern, not starting with -");
          }
          i++;
        }
      }
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("name", name)
          .put("label", label)
          .put("secrets", new JsonArray(secrets))
          .put("resumable", resumable)
          .put("options", new JsonArray(options.stream().map(ProfileOption::toJson).toList()));
    }

    static ProfileInfo parse(JsonObject json) {
      List<ProfileOption> options = new ArrayList<>();
      Object listed = json.getValue("options");
      if (!(listed instanceof JsonArray array)) {
        throw new InvalidMessage("options must be an array");
      }
      for (Object option : array) {
        options.add(ProfileOption.parse(object(option)));
      }
      return new ProfileInfo(
          string(json, "name"),
          string(json, "label"),
          strings(json, "secrets"),
          flag(json, "resumable"),
          options);
    }
  }

  /**
   * An option a user may add to a profile's command (Claude Code's {@code --model}): {@code name}
   * as typed, and the {@code values} it takes as a regular expression the whole value must match,
   * or null for an option without a value.
   */
  public record ProfileOption(String name, String values) {
    private static final Pattern NAME = Pattern.compile("--?[A-Za-z0-9][A-Za-z0-9-]{0,63}");

    public ProfileOption {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new InvalidMessage("an option's name is a dash or two, then letters, digits, dashes");
      }
      if (values != null) {
        try {
          Pattern.compile(values);
        } catch (PatternSyntaxException e) {
          throw new InvalidMessage(name + ": values must be a regular expression");
        }
      }
    }

    /** How people read it: {@code --model <[a-z]+>} or {@code --verbose}. */
    public String describe() {
      return values == null ? name : name + " <" + values + ">";
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("name", name);
      return values == null ? json : json.put("values", values);
    }

    static ProfileOption parse(JsonObject json) {
      return new ProfileOption(string(json, "name"), optionalString(json, "values"));
    }
  }

  /** Reply to a request on {@link #PTY_PROFILES}. */
  public record ProfileList(List<ProfileInfo> profiles) {
    public ProfileList {
      profiles = List.copyOf(profiles);
    }

    /** The profile named {@code name}, if it is announced. */
    public Optional<ProfileInfo> find(String name) {
      return profiles.stream().filter(profile -> profile.name().equals(name)).findFirst();
    }

    /** What a request naming a profile that is not announced is told. */
    public String notRunHere() {
      return "is not run here; these are: "
          + String.join(", ", profiles.stream().map(ProfileInfo::name).toList());
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("profiles", new JsonArray(profiles.stream().map(ProfileInfo::toJson).toList()));
    }

    public static ProfileList parse(Object body) {
      Object profiles = object(body).getValue("profiles");
      if (!(profiles instanceof JsonArray array)) {
        throw new InvalidMessage("profiles must be an array");
      }
      List<ProfileInfo> list = new ArrayList<>();
      for (Object profile : array) {
        list.add(ProfileInfo.parse(object(profile)));
      }
      return new ProfileList(list);
    }
  }

  /**
   * Reply to {@link SessionStatus}: the ids of the session's running terminals, and all its tabs,
   * oldest first. A session with tabs but no running terminal is cold: it runs nothing.
   */
  public record SessionTerminals(List<String> terminalIds, List<TabInfo> tabs) {
    public SessionTerminals {
      terminalIds.forEach(id -> requireUuid("terminalIds[]", id));
      terminalIds = List.copyOf(terminalIds);
      tabs = List.copyOf(tabs);
    }

    /** Whether a process runs in the session. */
    public boolean runs() {
      return !terminalIds.isEmpty();
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("terminalIds", new JsonArray(terminalIds))
          .put("tabs", new JsonArray(tabs.stream().map(TabInfo::toJson).toList()));
    }

    public static SessionTerminals parse(Object body) {
      JsonObject json = object(body);
      List<TabInfo> tabs = new ArrayList<>();
      if (json.getValue("tabs") instanceof JsonArray array) {
        for (Object tab : array) {
          tabs.add(TabInfo.parse(object(tab)));
        }
      }
      return new SessionTerminals(strings(json, "terminalIds"), tabs);
    }
  }

  /**
   * One tab of a session: its terminal's id, its name (null: none given), its profile, its state
   * ({@code running}, {@code exited}, or {@code cold}: an earlier run of the pty-service ran it),
   * and the exit code of its last process when it exited.
   */
  public record TabInfo(String id, String name, String profile, String state, Integer exitCode) {
    public static final List<String> STATES = List.of("running", "exited", "cold");

    public TabInfo {
      requireUuid("id", id);
      if (name != null) {
        requireTabName(name);
      }
      requireProfile(profile);
      if (!STATES.contains(state)) {
        throw new InvalidMessage("a tab's state is one of " + STATES);
      }
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("name", name)
          .put("profile", profile)
          .put("state", state)
          .put("exitCode", exitCode);
    }

    static TabInfo parse(JsonObject json) {
      return new TabInfo(
          string(json, "id"),
          optionalString(json, "name"),
          string(json, "profile"),
          string(json, "state"),
          json.getValue("exitCode") == null ? null : integer(json, "exitCode"));
    }
  }

  /**
   * Published when the last terminal of {@code session} has exited, whether stopped or on its own;
   * {@code exitCode} is that terminal's.
   */
  public record SessionEnded(String owner, String session, int exitCode) {
    public SessionEnded {
      requireId("owner", owner);
      requireUuid("session", session);
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("event", "ended")
          .put("owner", owner)
          .put("session", session)
          .put("exitCode", exitCode);
    }

    public static SessionEnded parse(Object body) {
      JsonObject json = object(body);
      return new SessionEnded(
          string(json, "owner"), string(json, "session"), integer(json, "exitCode"));
    }
  }

  // ---- Authentication --------------------------------------------------------------------------

  /**
   * Reply to {@link #AUTH_PUBLIC_KEY}: the PEM key that verifies tickets. It carries a proof, like
   * the messages that act for a user: a member without the bus key that answered in the
   * api-service's place could otherwise give gateways a key of its own and sign itself tickets.
   */
  public record PublicKey(String pem) {
    public PublicKey {
      if (pem == null || !pem.startsWith("-----BEGIN PUBLIC KEY-----")) {
        throw new InvalidMessage("pem must be a PEM public key");
      }
    }

    public JsonObject toJson(BusKey key) {
      return BusProof.sign(key, AUTH_PUBLIC_KEY, new JsonObject().put("pem", pem));
    }

    /** Checks the proof under {@code key} first, as {@link #parseControl} does. */
    public static PublicKey parse(Object body, BusKey key) {
      return new PublicKey(string(proven(body, key, AUTH_PUBLIC_KEY), "pem"));
    }
  }

  /** Is {@code user} active, and is {@code credential} (the ticket's {@code sid}) not revoked? */
  public record CredentialCheck(String user, String credential) {
    public CredentialCheck {
      requireId("user", user);
      requireUuid("credential", credential);
    }

    public JsonObject toJson() {
      return new JsonObject().put("user", user).put("credential", credential);
    }

    public static CredentialCheck parse(Object body) {
      JsonObject json = object(body);
      return new CredentialCheck(string(json, "user"), string(json, "credential"));
    }
  }

  /** Reply to {@link CredentialCheck}. */
  public record CredentialStatus(boolean allowed) {
    public JsonObject toJson() {
      return new JsonObject().put("allowed", allowed);
    }

    public static CredentialStatus parse(Object body) {
      if (object(body).getValue("allowed") instanceof Boolean allowed) {
        return new CredentialStatus(allowed);
      }
      throw new InvalidMessage("allowed must be a boolean");
    }
  }

  /**
   * {@code credential} of {@code user} was revoked; a null {@code credential} means every one of
   * theirs (the user was deactivated or their password reset).
   */
  public record Revoked(String user, String credential) {
    public Revoked {
      requireId("user", user);
      if (credential != null) {
        requireUuid("credential", credential);
      }
    }

    /** Whether a socket opened by {@code user} with {@code credential} must close. */
    public boolean covers(String socketUser, String socketCredential) {
      return user.equals(socketUser) && (credential == null || credential.equals(socketCredential));
    }

    public JsonObject toJson() {
      return new JsonObject().put("user", user).put("credential", credential);
    }

    public static Revoked parse(Object body) {
      JsonObject json = object(body);
      return new Revoked(string(json, "user"), optionalString(json, "credential"));
    }
  }

  /**
   * Published by a pty-service when it has started: {@code instance} is a random id of this run of
   * it, for logs; {@code cold} the sessions of its earlier run it serves again, cold (their tabs'
   * output, no process). Listeners compare the sessions they believe running with reality, and stop
   * a cold session they no longer know, which deletes it.
   */
  public record PtyStarted(String instance, List<ColdSession> cold) {
    public PtyStarted {
      requireUuid("instance", instance);
      cold = List.copyOf(cold);
    }

    /** A pty-service that brought back no session. */
    public PtyStarted(String instance) {
      this(instance, List.of());
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("event", "started")
          .put("instance", instance)
          .put(
              "cold",
              new JsonArray(
                  cold.stream()
                      .map(
                          session ->
                              new JsonObject()
                                  .put("owner", session.owner())
                                  .put("session", session.session()))
                      .toList()));
    }

    public static PtyStarted parse(Object body) {
      JsonObject json = object(body);
      List<ColdSession> cold = new ArrayList<>();
      if (json.getValue("cold") instanceof JsonArray array) {
        for (Object session : array) {
          JsonObject each = object(session);
          cold.add(new ColdSession(string(each, "owner"), string(each, "session")));
        }
      }
      return new PtyStarted(string(json, "instance"), cold);
    }
  }

  /** A session a pty-service brought back cold: {@link PtyStarted}. */
  public record ColdSession(String owner, String session) {
    public ColdSession {
      requireId("owner", owner);
      requireUuid("session", session);
    }
  }

  // ---- Binary messages -------------------------------------------------------------------------

  /**
   * Terminal output: {@code [terminal id: 16 bytes][offset of the first byte: int64 BE][bytes]}.
   * Offsets count every byte the terminal has ever produced, from 0.
   */
  public record OutputChunk(UUID terminalId, long offset, Buffer data) {
    public static final int HEADER_BYTES = 24;

    public Buffer encode() {
      return Buffer.buffer(HEADER_BYTES + data.length())
          .appendLong(terminalId.getMostSignificantBits())
          .appendLong(terminalId.getLeastSignificantBits())
          .appendLong(offset)
          .appendBuffer(data);
    }

    /** Offset just past the last byte of this chunk. */
    public long endOffset() {
      return offset + data.length();
    }

    public static OutputChunk decode(Object body) {
      Buffer buffer = buffer(body, HEADER_BYTES);
      long offset = buffer.getLong(16);
      if (offset < 0) {
        throw new InvalidMessage("negative offset");
      }
      return new OutputChunk(
          new UUID(buffer.getLong(0), buffer.getLong(8)),
          offset,
          buffer.slice(HEADER_BYTES, buffer.length()));
    }
  }

  /**
   * Reply to {@link Attach}: {@code [kind: uint8][terminal id: 16 bytes][offset: int64 BE][end:
   * int64 BE][bytes]}. {@code end} is how much the terminal had printed when it answered.
   *
   * <p>{@link Kind#OUTPUT}: {@code bytes} are the output from {@code offset}; while {@code offset +
   * bytes} is short of {@code end}, attach again from there. {@link Kind#SCREEN}: {@code bytes} are
   * escape sequences that, written to a freshly reset terminal of the terminal's size, draw its
   * screen, scrollback and modes as they were at {@code offset} (which is {@code end}); output
   * continues from {@code offset}.
   */
  public record AttachReply(Kind kind, UUID terminalId, long offset, long end, Buffer data) {
    public static final int HEADER_BYTES = 33;

    /** What {@code data} holds. */
    public enum Kind {
      OUTPUT,
      SCREEN
    }

    public AttachReply {
      if (offset < 0 || end < offset) {
        throw new InvalidMessage("offsets out of order");
      }
    }

    /** Offset just past the output this reply carries; for a screen, the offset it was drawn at. */
    public long dataEnd() {
      return kind == Kind.OUTPUT ? offset + data.length() : offset;
    }

    /** Whether the viewer must attach again from {@link #dataEnd} to reach {@link #end}. */
    public boolean hasMore() {
      return dataEnd() < end;
    }

    public Buffer encode() {
      return Buffer.buffer(HEADER_BYTES + data.length())
          .appendByte((byte) kind.ordinal())
          .appendLong(terminalId.getMostSignificantBits())
          .appendLong(terminalId.getLeastSignificantBits())
          .appendLong(offset)
          .appendLong(end)
          .appendBuffer(data);
    }

    public static AttachReply decode(Object body) {
      Buffer buffer = buffer(body, HEADER_BYTES);
      int kind = buffer.getUnsignedByte(0);
      if (kind >= Kind.values().length) {
        throw new InvalidMessage("unknown reply kind " + kind);
      }
      return new AttachReply(
          Kind.values()[kind],
          new UUID(buffer.getLong(1), buffer.getLong(9)),
          buffer.getLong(17),
          buffer.getLong(25),
          buffer.slice(HEADER_BYTES, buffer.length()));
    }
  }

  /**
   * Keystrokes: {@code [issuedAt: int64 BE][proof: 32 bytes][user id length: uint8][user id:
   * UTF-8][bytes]}, the proof as {@link BusProof} describes it.
   */
  public record InputChunk(String user, Buffer data) {
    private static final int USER_LENGTH_AT = 8 + BusProof.BYTES;

    public InputChunk {
      requireId("user", user);
      if (data.length() > MAX_INPUT_BYTES) {
        throw new InvalidMessage("input larger than " + MAX_INPUT_BYTES + " bytes");
      }
    }

    /** This chunk for {@code terminalId}'s input address, with a proof under {@code key}. */
    public Buffer encode(BusKey key, String terminalId) {
      long issuedAt = key.now();
      byte[] proof = BusProof.input(key, terminalInput(terminalId), issuedAt, user, data);
      Buffer userBytes = Buffer.buffer(user);
      return Buffer.buffer(USER_LENGTH_AT + 1 + userBytes.length() + data.length())
          .appendLong(issuedAt)
          .appendBytes(proof)
          .appendUnsignedByte((short) userBytes.length())
          .appendBuffer(userBytes)
          .appendBuffer(data);
    }

    /**
     * The chunk {@code body}, received on {@code terminalId}'s input address.
     *
     * @throws UnprovenMessage if it carries no valid proof under {@code key}; checked first
     * @throws InvalidMessage if it is proven but malformed
     */
    public static InputChunk decode(Object body, BusKey key, String terminalId) {
      if (!(body instanceof Buffer buffer) || buffer.length() <= USER_LENGTH_AT) {
        throw new UnprovenMessage("expected an input chunk with a proof");
      }
      int userLength = buffer.getUnsignedByte(USER_LENGTH_AT);
      int dataAt = USER_LENGTH_AT + 1 + userLength;
      if (buffer.length() < dataAt) {
        throw new UnprovenMessage("truncated input chunk");
      }
      long issuedAt = buffer.getLong(0);
      String user = buffer.getString(USER_LENGTH_AT + 1, dataAt);
      Buffer data = buffer.slice(dataAt, buffer.length());
      BusProof.verifyInput(
          key, terminalInput(terminalId), issuedAt, user, data, buffer.getBytes(8, USER_LENGTH_AT));
      return new InputChunk(user, data);
    }
  }

  // ---- Validation ------------------------------------------------------------------------------

  /** A bus message that does not match this contract. */
  public static final class InvalidMessage extends RuntimeException {
    public InvalidMessage(String message) {
      super(message);
    }
  }

  /**
   * A message that acts for a user without a valid proof that a service sent it; refused with
   * {@link #FAILURE_UNPROVEN}, or dropped if nobody waits for a reply.
   */
  public static final class UnprovenMessage extends RuntimeException {
    public UnprovenMessage(String message) {
      super(message);
    }
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final int MAX_URL_LENGTH = 2048;

  private static void requireId(String field, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new InvalidMessage(field + " must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
    }
  }

  /**
   * A profile name: 1-32 characters of a-z 0-9 -, starting with a letter or digit. Public, like
   * {@link #BRANCH_PATTERN} and {@link #requireCloneUrl}, so that the api-service holds requests to
   * the same rules before they reach the bus.
   */
  public static final String PROFILE_PATTERN = "[a-z0-9][a-z0-9-]{0,31}";

  /** A plain git ref name: no option, no spaces, at most 200 characters. */
  public static final String BRANCH_PATTERN = "[A-Za-z0-9][A-Za-z0-9._/-]{0,199}";

  private static final Pattern PROFILE = Pattern.compile(PROFILE_PATTERN);
  private static final Pattern BRANCH = Pattern.compile(BRANCH_PATTERN);

  /** Longest name of a tab, in characters. */
  public static final int MAX_TAB_NAME = 40;

  /**
   * A tab's name: 1-{@value #MAX_TAB_NAME} characters, not all blank, no control characters (they
   * would drive the terminals of those who see it). Public, for the api-service's validation.
   */
  public static final String TAB_NAME_PATTERN = "(?=.*\\S)[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{1,40}";

  private static final Pattern TAB_NAME = Pattern.compile(TAB_NAME_PATTERN);

  private static void requireTabName(String name) {
    if (name == null || !TAB_NAME.matcher(name).matches()) {
      throw new InvalidMessage(
          "a tab's name is 1-" + MAX_TAB_NAME + " characters, not blank, without control ones");
    }
  }

  private static void requireProfile(String profile) {
    if (profile == null || !PROFILE.matcher(profile).matches()) {
      throw new InvalidMessage("profile must be a lower-case name");
    }
  }

  /**
   * A variable a user's API key is put in: upper case, not one the sandbox or the shell relies on
   * (its identity, its paths, the loader's, the proxy's).
   */
  public static final String SECRET_NAME_PATTERN = "[A-Z][A-Z0-9_]{0,63}";

  private static final Pattern SECRET_NAME = Pattern.compile(SECRET_NAME_PATTERN);
  private static final Pattern RESERVED_SECRET_NAME =
      Pattern.compile(
          "PATH|HOME|USER|LOGNAME|SHELL|TERM|COLORTERM|LANG|LC_.*|LD_.*|TMPDIR|PWD"
              + "|(HTTP|HTTPS|ALL|NO)_PROXY|NODE_OPTIONS|NODE_USE_ENV_PROXY|BASH_ENV|ENV"
              + "|CODE_CLOUD_.*|CCC_.*");

  /** Longest value of a secret: far more than any API key. */
  public static final int MAX_SECRET_LENGTH = 4096;

  /**
   * @throws InvalidMessage unless {@code name} may hold a user's secret
   */
  public static void requireSecretName(String name) {
    if (name == null
        || !SECRET_NAME.matcher(name).matches()
        || RESERVED_SECRET_NAME.matcher(name).matches()) {
      throw new InvalidMessage(
          "a secret's name is 1-64 characters of A-Z 0-9 _ and not one the terminal relies on"
              + " (PATH, HOME, the proxy's, LD_*, …)");
    }
  }

  /** Most extra arguments a terminal's command takes from a user. */
  public static final int MAX_ARGUMENTS = 32;

  /** Longest extra argument. */
  public static final int MAX_ARGUMENT_LENGTH = 256;

  /**
   * @throws InvalidMessage unless {@code arguments} are at most {@link #MAX_ARGUMENTS} words of 1
   *     to {@link #MAX_ARGUMENT_LENGTH} characters without control characters
   */
  public static List<String> requireArguments(List<String> arguments) {
    if (arguments == null || arguments.size() > MAX_ARGUMENTS) {
      throw new InvalidMessage("arguments are a list of at most " + MAX_ARGUMENTS + " words");
    }
    for (String argument : arguments) {
      if (argument == null
          || argument.isEmpty()
          || argument.length() > MAX_ARGUMENT_LENGTH
          || argument.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidMessage(
            "an argument is 1-" + MAX_ARGUMENT_LENGTH + " characters without control characters");
      }
    }
    return List.copyOf(arguments);
  }

  private static Map<String, String> requireSecrets(Map<String, String> secrets) {
    if (secrets == null) {
      throw new InvalidMessage("secrets must be an object");
    }
    secrets.forEach(
        (name, value) -> {
          requireSecretName(name);
          if (value == null || value.length() > MAX_SECRET_LENGTH || value.indexOf('\0') >= 0) {
            throw new InvalidMessage(
                "a secret is at most " + MAX_SECRET_LENGTH + " characters, without NUL");
          }
        });
    return Map.copyOf(secrets);
  }

  private static void requireBranch(String branch) {
    if (branch == null || !BRANCH.matcher(branch).matches()) {
      throw new InvalidMessage("branch must be a plain git ref name");
    }
  }

  /**
   * An absolute URL without credentials, whitespace or control characters; which schemes a
   * pty-service accepts is its own configuration.
   *
   * @throws InvalidMessage otherwise
   */
  public static void requireCloneUrl(String url) {
    if (url == null) {
      throw new InvalidMessage("cloneUrl must be a string");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidMessage("cloneUrl is not a URL");
    }
    if (url.length() > MAX_URL_LENGTH
        || !uri.isAbsolute()
        || uri.getRawUserInfo() != null
        || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new InvalidMessage(
          "cloneUrl must be an absolute URL of at most "
              + MAX_URL_LENGTH
              + " characters, without credentials or spaces");
    }
  }

  private static void requireUuid(String field, String value) {
    try {
      UUID.fromString(value == null ? "" : value);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessage(field + " must be a UUID");
    }
  }

  private static void requireDimension(String field, int value) {
    if (value < MIN_DIMENSION || value > MAX_DIMENSION) {
      throw new InvalidMessage(field + " must be within " + MIN_DIMENSION + ".." + MAX_DIMENSION);
    }
  }

  /** {@code body} as JSON once its proof for {@code address} under {@code key} checks out. */
  private static JsonObject proven(Object body, BusKey key, String address) {
    BusProof.verify(key, address, body);
    return (JsonObject) body;
  }

  private static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw new InvalidMessage("expected a JSON object");
  }

  private static Buffer buffer(Object body, int minimumLength) {
    if (body instanceof Buffer buffer && buffer.length() >= minimumLength) {
      return buffer;
    }
    throw new InvalidMessage("expected a binary body of at least " + minimumLength + " bytes");
  }

  private static String string(JsonObject json, String field) {
    if (json.getValue(field) instanceof String value) {
      return value;
    }
    throw new InvalidMessage(field + " must be a string");
  }

  private static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidMessage(field + " must be a string or absent");
  }

  private static List<String> strings(JsonObject json, String field) {
    if (!(json.getValue(field) instanceof JsonArray array)) {
      throw new InvalidMessage(field + " must be an array");
    }
    List<String> list = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw new InvalidMessage(field + " must hold strings");
      }
      list.add(text);
    }
    return list;
  }

  /** A list of strings sent as the text of a JSON array, or none. */
  private static List<String> optionalEncodedStrings(JsonObject json, String field) {
    String encoded = optionalString(json, field);
    if (encoded == null) {
      return List.of();
    }
    try {
      return strings(new JsonObject().put(field, new JsonArray(encoded)), field);
    } catch (DecodeException e) {
      throw new InvalidMessage(field + " must be the text of a JSON array");
    }
  }

  private static boolean optionalFlag(JsonObject json, String field) {
    return json.getValue(field) != null && flag(json, field);
  }

  /**
   * How a terminal is launched, beyond its profile, as fields of a request to {@code address}:
   * {@code resume} when set, {@code secrets} sealed when there are any, so that a plain launch's
   * body is what it always was.
   */
  private static JsonObject launchFields(
      BusKey key,
      String address,
      boolean resume,
      List<String> arguments,
      Map<String, String> secrets) {
    JsonObject fields = new JsonObject();
    if (resume) {
      fields.put("resume", true);
    }
    if (!arguments.isEmpty()) {
      // As JSON text: a proof covers only text, flags and numbers.
      fields.put("arguments", new JsonArray(arguments).encode());
    }
    if (!secrets.isEmpty()) {
      fields.put(
          "secrets",
          key.seal(
              address, new JsonObject(new TreeMap<String, Object>(secrets)).toBuffer().getBytes()));
    }
    return fields;
  }

  /**
   * A launch request for logs, where requests end up: {@code head}, then whether it resumes and the
   * names of its secrets, never their values.
   */
  private static String describeLaunch(
      String head, boolean resume, List<String> arguments, Map<String, String> secrets) {
    return head
        + (resume ? ", resuming" : "")
        + ", arguments="
        + arguments
        + ", secrets="
        + secrets.keySet()
        + "]";
  }

  private static Map<String, String> openedSecrets(JsonObject json, BusKey key, String address) {
    String sealed = optionalString(json, "secrets");
    if (sealed == null) {
      return Map.of();
    }
    JsonObject opened;
    try {
      opened = new JsonObject(Buffer.buffer(key.open(address, sealed)));
    } catch (DecodeException e) {
      throw new InvalidMessage("secrets must be a sealed JSON object");
    }
    Map<String, String> secrets = new HashMap<>();
    for (String name : opened.fieldNames()) {
      secrets.put(name, string(opened, name));
    }
    return secrets;
  }

  private static boolean flag(JsonObject json, String field) {
    if (json.getValue(field) instanceof Boolean value) {
      return value;
    }
    throw new InvalidMessage(field + " must be true or false");
  }

  private static long longValue(JsonObject json, String field) {
    if (json.getValue(field) instanceof Number value && value.longValue() == value.doubleValue()) {
      return value.longValue();
    }
    throw new InvalidMessage(field + " must be an integer");
  }

  private static int integer(JsonObject json, String field) {
    long value = longValue(json, field);
    if (value != (int) value) {
      throw new InvalidMessage(field + " is out of range");
    }
    return (int) value;
  }
}
