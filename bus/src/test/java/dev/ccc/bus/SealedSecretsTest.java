package dev.ccc.bus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.OpenTab;
import dev.ccc.bus.BusContract.SessionControl;
import dev.ccc.bus.BusContract.StartSession;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Users' API keys cross the bus only sealed under the bus key, for one address. */
class SealedSecretsTest {
  private static final BusKey KEY = BusKey.of("0123456789abcdef0123456789abcdef".getBytes(UTF_8));
  private static final BusKey OTHER = BusKey.of("fedcba9876543210fedcba9876543210".getBytes(UTF_8));
  private static final String SECRET = "sk-ant-secret-value";

  @Test
  void aStartCarriesItsSecretsSealedAndTheyOpenOnlyThere() {
    StartSession start =
        new StartSession(
            "alice",
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString(),
            "claude",
            80,
            24,
            false,
            true,
            List.of("--model", "opus"),
            Map.of("ANTHROPIC_API_KEY", SECRET));

    JsonObject body = start.toJson(KEY);

    assertFalse(body.encode().contains(SECRET), "in clear: " + body.encode());
    assertFalse(start.toString().contains(SECRET), "logged: " + start);
    assertEquals(start, StartSession.parse(body, KEY));
    assertThrows(RuntimeException.class, () -> StartSession.parse(body, OTHER));
  }

  @Test
  void aTabsSecretsOpenOnlyAtItsSessionsAddress() {
    String session = UUID.randomUUID().toString();
    OpenTab tab =
        new OpenTab(
            "alice",
            "codex",
            80,
            24,
            false,
            false,
            List.of("--model", "o3"),
            Map.of("OPENAI_API_KEY", SECRET));

    JsonObject body = tab.toJson(KEY, session);

    assertFalse(body.encode().contains(SECRET));
    assertFalse(tab.toString().contains(SECRET), "logged: " + tab);
    SessionControl parsed = BusContract.parseSessionControl(body, KEY, session);
    assertEquals(tab, parsed);
  }

  @Test
  void sealedDataOpensForItsAddressAndKeyAloneAndUnchanged() {
    byte[] plain = "{\"A\":\"b\"}".getBytes(UTF_8);
    String sealed = KEY.seal("ccc.pty.session.start", plain);

    assertArrayEquals(plain, KEY.open("ccc.pty.session.start", sealed));
    assertThrows(InvalidMessage.class, () -> KEY.open("ccc.pty.session.x.control", sealed));
    assertThrows(InvalidMessage.class, () -> OTHER.open("ccc.pty.session.start", sealed));
    char[] tampered = sealed.toCharArray();
    tampered[20] = tampered[20] == 'A' ? 'B' : 'A';
    assertThrows(
        InvalidMessage.class, () -> KEY.open("ccc.pty.session.start", new String(tampered)));
    assertThrows(InvalidMessage.class, () -> KEY.open("ccc.pty.session.start", "not base64!"));
    assertTrue(!sealed.equals(KEY.seal("ccc.pty.session.start", plain)), "a fresh nonce each time");
  }

  @Test
  void aPlainLaunchLooksAsItAlwaysDid() {
    JsonObject body =
        new StartSession(
                "alice",
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                "shell",
                80,
                24,
                false)
            .toJson(KEY);
    assertFalse(body.containsKey("resume"));
    assertFalse(body.containsKey("secrets"));
    assertFalse(body.containsKey("arguments"));
  }

  @Test
  void secretsCannotTakeTheNamesTheTerminalReliesOn() {
    for (String name :
        List.of(
            "PATH",
            "HOME",
            "LD_PRELOAD",
            "HTTPS_PROXY",
            "NODE_OPTIONS",
            "lower",
            "BASH_ENV",
            "CCC_BUS_KEY_FILE")) {
      assertThrows(
          InvalidMessage.class,
          () -> new OpenTab("alice", "claude", 80, 24, false, false, List.of(), Map.of(name, "x")),
          name);
    }
    new OpenTab(
        "alice", "claude", 80, 24, false, false, List.of(), Map.of("ANTHROPIC_API_KEY", "x"));
    assertThrows(
        InvalidMessage.class,
        () ->
            new OpenTab("alice", "claude", 80, 24, false, false, List.of(), Map.of("KEY", "a\0b")));
  }
}
