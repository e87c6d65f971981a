package dev.ccc.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.AttachReply;
import dev.ccc.bus.BusContract.Close;
import dev.ccc.bus.BusContract.ColdSession;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import dev.ccc.bus.BusContract.DropTab;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.OpenTab;
import dev.ccc.bus.BusContract.OutputChunk;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.PublicKey;
import dev.ccc.bus.BusContract.RelaunchTab;
import dev.ccc.bus.BusContract.RenameTab;
import dev.ccc.bus.BusContract.Resize;
import dev.ccc.bus.BusContract.SessionControl;
import dev.ccc.bus.BusContract.SessionEnded;
import dev.ccc.bus.BusContract.SessionTerminals;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.TabInfo;
import dev.ccc.bus.BusContract.WorkspaceFolder;
import dev.ccc.bus.BusContract.WorkspaceMade;
import dev.ccc.bus.BusContract.WorkspaceStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BusContractTest {
  private static final String WORKSPACE = UUID.randomUUID().toString();
  private static final BusKey KEY =
      BusKey.of("a key for the contract's round trips".getBytes(StandardCharsets.UTF_8));

  @Test
  void everyJsonMessageSurvivesARoundTrip() {
    PtyStarted started =
        new PtyStarted(
            UUID.randomUUID().toString(),
            List.of(new ColdSession("alice", UUID.randomUUID().toString())));
    assertEquals(started, PtyStarted.parse(started.toJson()));
    for (boolean admin : new boolean[] {true, false}) {
      CreateWorkspace clone =
          new CreateWorkspace("alice", WORKSPACE, "https://example.org/repo.git", "main", admin);
      assertEquals(clone, CreateWorkspace.parse(clone.toJson(KEY), KEY));
      StartSession start =
          new StartSession(
              "alice", UUID.randomUUID().toString(), WORKSPACE, "shell", 100, 30, admin);
      assertEquals(start, StartSession.parse(start.toJson(KEY), KEY));
      String session = UUID.randomUUID().toString();
      OpenTab tab = new OpenTab("alice", "shell", 80, 24, admin);
      assertEquals(tab, BusContract.parseSessionControl(tab.toJson(KEY, session), KEY, session));
      RelaunchTab relaunch =
          new RelaunchTab(
              "alice",
              UUID.randomUUID().toString(),
              admin,
              !admin,
              List.of("--model", "opus"),
              Map.of("API_KEY", "k"));
      assertEquals(
          relaunch, BusContract.parseSessionControl(relaunch.toJson(KEY, session), KEY, session));
    }
    String session = UUID.randomUUID().toString();
    String tabId = UUID.randomUUID().toString();
    for (SessionControl control :
        List.of(new RenameTab("alice", tabId, "build ✓ 日本"), new DropTab("alice", tabId))) {
      assertEquals(
          control, BusContract.parseSessionControl(control.toJson(KEY, session), KEY, session));
    }
    SessionTerminals terminals =
        new SessionTerminals(
            List.of(tabId),
            List.of(
                new TabInfo(tabId, "build", "shell", "running", null),
                new TabInfo(UUID.randomUUID().toString(), null, "claude", "exited", 1),
                new TabInfo(UUID.randomUUID().toString(), null, "shell", "cold", null)));
    assertEquals(terminals, SessionTerminals.parse(terminals.toJson()));
    SessionEnded ended = new SessionEnded("alice", UUID.randomUUID().toString(), 3);
    assertEquals(ended, SessionEnded.parse(ended.toJson()));
    WorkspaceMade failed = new WorkspaceMade("alice", WORKSPACE, "fatal: repository not found");
    assertEquals(failed, WorkspaceMade.parse(failed.toJson()));
    WorkspaceMade made = new WorkspaceMade("alice", WORKSPACE, null);
    assertEquals(made, WorkspaceMade.parse(made.toJson()));
    WorkspaceStatus status = new WorkspaceStatus("alice", WORKSPACE);
    assertEquals(status, WorkspaceStatus.parse(status.toJson(KEY), KEY));
    DeleteWorkspace delete = new DeleteWorkspace("alice", WORKSPACE);
    assertEquals(delete, DeleteWorkspace.parse(delete.toJson(KEY), KEY));
    for (WorkspaceFolder.Presence presence : WorkspaceFolder.Presence.values()) {
      WorkspaceFolder folder = new WorkspaceFolder(presence);
      assertEquals(folder, WorkspaceFolder.parse(folder.toJson()));
    }
    String terminal = UUID.randomUUID().toString();
    Attach attach = new Attach("alice", 1L << 40);
    assertEquals(attach, BusContract.parseControl(attach.toJson(KEY, terminal), KEY, terminal));
    Attach fromNothing = new Attach("alice", null);
    assertEquals(
        fromNothing, BusContract.parseControl(fromNothing.toJson(KEY, terminal), KEY, terminal));
    Resize resize = new Resize("alice", 120, 40);
    assertEquals(resize, BusContract.parseControl(resize.toJson(KEY, terminal), KEY, terminal));
    Close close = new Close("alice");
    assertEquals(close, BusContract.parseControl(close.toJson(KEY, terminal), KEY, terminal));
    PublicKey publicKey =
        new PublicKey("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n");
    assertEquals(publicKey, PublicKey.parse(publicKey.toJson(KEY), KEY));
  }

  @Test
  void binaryChunksKeepTheirHeaderAndBytes() {
    UUID terminal = UUID.randomUUID();
    Buffer data = Buffer.buffer("한글 🎉".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    OutputChunk chunk =
        OutputChunk.decode(new OutputChunk(terminal, 5_000_000_000L, data).encode());
    assertEquals(terminal, chunk.terminalId());
    assertEquals(5_000_000_000L, chunk.offset());
    assertEquals(data, chunk.data());
    for (AttachReply.Kind kind : AttachReply.Kind.values()) {
      AttachReply reply =
          AttachReply.decode(
              new AttachReply(kind, terminal, 7_000_000_000L, 8_000_000_000L, data).encode());
      assertEquals(kind, reply.kind());
      assertEquals(terminal, reply.terminalId());
      assertEquals(7_000_000_000L, reply.offset());
      assertEquals(8_000_000_000L, reply.end());
      assertEquals(data, reply.data());
    }
    String id = terminal.toString();
    InputChunk input = InputChunk.decode(new InputChunk("alice", data).encode(KEY, id), KEY, id);
    assertEquals("alice", input.user());
    assertEquals(data, input.data());
  }

  @Test
  void malformedMessagesAreRejectedWithTheFieldNamed() {
    String session = UUID.randomUUID().toString();
    String terminal = UUID.randomUUID().toString();
    assertRejected(
        "cols", () -> new StartSession("alice", session, WORKSPACE, "shell", 0, 24, false));
    assertRejected("rows", () -> new OpenTab("alice", "shell", 80, 1001, false));
    assertRejected(
        "owner", () -> new StartSession("../etc", session, WORKSPACE, "shell", 80, 24, false));
    assertRejected("profile", () -> new OpenTab("alice", "Shell", 80, 24, false));
    String tab = UUID.randomUUID().toString();
    for (String name :
        List.of(
            "",
            "   ",
            "a".repeat(BusContract.MAX_TAB_NAME + 1),
            "a\u001b[2Jb",
            "a\nb",
            "a\u0085b",
            "a\u202eb",
            "a\u2028b")) {
      assertRejected("a tab's name", () -> new RenameTab("alice", tab, name));
    }
    assertRejected(
        "session",
        () ->
            StartSession.parse(
                TestProofs.sign(
                    KEY, BusContract.PTY_SESSION_START, new JsonObject().put("owner", "a")),
                KEY));
    assertRejected(
        "admin",
        () ->
            StartSession.parse(
                TestProofs.sign(
                    KEY,
                    BusContract.PTY_SESSION_START,
                    new JsonObject()
                        .put("owner", "alice")
                        .put("session", session)
                        .put("workspace", WORKSPACE)
                        .put("profile", "shell")
                        .put("cols", 80)
                        .put("rows", 24)
                        .put("admin", "yes")),
                KEY));
    assertRejected(
        "admin",
        () ->
            CreateWorkspace.parse(
                TestProofs.sign(
                    KEY,
                    BusContract.PTY_WORKSPACE_CREATE,
                    new JsonObject().put("owner", "alice").put("workspace", WORKSPACE)),
                KEY));
    assertRejected("instance", () -> PtyStarted.parse(new JsonObject().put("instance", "x")));
    assertRejected(
        "op",
        () ->
            BusContract.parseControl(
                TestProofs.sign(
                    KEY,
                    BusContract.terminalControl(terminal),
                    new JsonObject().put("op", "format")),
                KEY,
                terminal));
    assertRejected(
        "presence", () -> WorkspaceFolder.parse(new JsonObject().put("presence", "cloning")));
    assertRejected("workspace", () -> new WorkspaceMade("alice", "../x", null));
    assertRejected("JSON object", () -> PtyStarted.parse("not json"));
    assertRejected("binary", () -> OutputChunk.decode(Buffer.buffer(new byte[10])));
    assertRejected("binary", () -> AttachReply.decode(Buffer.buffer(new byte[32])));
    assertRejected(
        "kind", () -> AttachReply.decode(Buffer.buffer(new byte[33]).setByte(0, (byte) 9)));
    assertRejected("pem", () -> new PublicKey("not a key"));
    assertRejected(
        "bytes",
        () -> new InputChunk("alice", Buffer.buffer(new byte[BusContract.MAX_INPUT_BYTES + 1])));
  }

  @Test
  void cloneUrlsNeverCarryCredentialsAndBranchesArePlainRefs() {
    for (String url :
        List.of(
            "https://user:token@example.org/repo.git",
            "https://example.org/repo.git --upload-pack=evil",
            "relative/path",
            "https://example.org/" + "a".repeat(2100))) {
      assertRejected("cloneUrl", () -> new CreateWorkspace("alice", WORKSPACE, url, null, false));
    }
    for (String branch : List.of("--upload-pack=x", "main branch", "-x")) {
      assertRejected(
          "branch",
          () ->
              new CreateWorkspace("alice", WORKSPACE, "https://example.org/r.git", branch, false));
    }
    assertRejected("branch", () -> new CreateWorkspace("alice", WORKSPACE, null, "main", false));
    assertRejected("cloneUrl", () -> BusContract.requireCloneUrl(null));
  }

  @Test
  void credentialMessagesRoundTripAndARevocationCoversTheRightSockets() {
    String login = UUID.randomUUID().toString();
    BusContract.CredentialCheck check = new BusContract.CredentialCheck("alice", login);
    assertEquals(check, BusContract.CredentialCheck.parse(check.toJson()));
    BusContract.CredentialStatus status = new BusContract.CredentialStatus(true);
    assertEquals(status, BusContract.CredentialStatus.parse(status.toJson()));
    BusContract.Revoked one = new BusContract.Revoked("alice", login);
    assertEquals(one, BusContract.Revoked.parse(one.toJson()));
    assertTrue(one.covers("alice", login));
    assertFalse(one.covers("alice", UUID.randomUUID().toString()));
    assertFalse(one.covers("bob", login));
    BusContract.Revoked all =
        BusContract.Revoked.parse(new BusContract.Revoked("alice", null).toJson());
    assertTrue(all.covers("alice", UUID.randomUUID().toString()));
    assertFalse(all.covers("bob", login));
    assertRejected("credential", () -> new BusContract.CredentialCheck("alice", "not-a-uuid"));
    assertRejected("allowed", () -> BusContract.CredentialStatus.parse(new JsonObject()));
  }

  @Test
  void aTerminalStatusRoundTripsProvenAndCarriesAnExitCodeOnlyOnceExited() {
    String session = UUID.randomUUID().toString();
    String terminal = UUID.randomUUID().toString();
    BusContract.TerminalStatus waiting =
        new BusContract.TerminalStatus(
            "alice", session, terminal, "claude", BusContract.Activity.WAITING, null);
    assertEquals(waiting, BusContract.TerminalStatus.parse(waiting.toJson(KEY), KEY));
    BusContract.TerminalStatus exited =
        new BusContract.TerminalStatus(
            "alice", session, terminal, "claude", BusContract.Activity.EXITED, 3);
    assertEquals(exited, BusContract.TerminalStatus.parse(exited.toJson(KEY), KEY));
    assertThrows(
        BusContract.UnprovenMessage.class,
        () -> BusContract.TerminalStatus.parse(exited.toJson(KEY).put("owner", "mallory"), KEY));
    assertRejected(
        "exitCode",
        () ->
            new BusContract.TerminalStatus(
                "alice", session, terminal, "claude", BusContract.Activity.WORKING, 0));
    assertRejected(
        "exitCode",
        () ->
            new BusContract.TerminalStatus(
                "alice", session, terminal, "claude", BusContract.Activity.EXITED, null));
    assertRejected(
        "activity",
        () ->
            BusContract.TerminalStatus.parse(
                TestProofs.sign(
                    KEY,
                    BusContract.PTY_TERMINAL_STATUS,
                    new JsonObject()
                        .put("owner", "alice")
                        .put("session", session)
                        .put("terminal", terminal)
                        .put("profile", "claude")
                        .put("activity", "SLEEPING")),
                KEY));
  }

  private static void assertRejected(String mentioned, Runnable construct) {
    InvalidMessage e = assertThrows(InvalidMessage.class, construct::run);
    assertInstanceOf(String.class, e.getMessage());
    if (!e.getMessage().contains(mentioned)) {
      throw new AssertionError("'" + e.getMessage() + "' does not mention " + mentioned);
    }
  }
}
