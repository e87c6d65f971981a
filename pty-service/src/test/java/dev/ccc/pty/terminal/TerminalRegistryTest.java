package dev.ccc.pty.terminal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.sandbox.SessionSandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class TerminalRegistryTest {
  @TempDir Path data;
  private TerminalRegistry registry;
  private Sandboxes sandboxes;

  @BeforeEach
  void setUp() {
    TerminalLauncher launcher =
        new TerminalLauncher(
            Profiles.standard("/bin/bash"),
            ChildEnvironment.of(System.getenv(), List.of(), "/bin/bash"),
            new Retention(4096, data.resolve("terminals"), 0, 100));
    registry = new TerminalRegistry(launcher, 2);
    sandboxes = Sandboxes.unconfined(data);
  }

  @AfterEach
  void tearDown() {
    registry.closeAll();
  }

  @Test
  void refusesTerminalsBeyondTheLimitAndFreesTheSlotOnExit() throws Exception {
    Recorder first = new Recorder();
    Terminal terminal = registry.open(sandbox("alice"), Launch.of("shell"), 80, 24, first);
    registry.open(sandbox("bob"), Launch.of("shell"), 80, 24, new Recorder());
    assertSame(terminal, registry.find(terminal.id()).orElseThrow());

    IOException refused =
        assertThrows(
            IOException.class,
            () -> registry.open(sandbox("carol"), Launch.of("shell"), 80, 24, new Recorder()));
    assertTrue(refused.getMessage().contains("limit of 2"), refused.getMessage());

    terminal.write("exit\n".getBytes(UTF_8));
    first.awaitExit();
    assertEquals(Optional.empty(), registry.find(terminal.id()));
    registry.open(sandbox("carol"), Launch.of("shell"), 80, 24, new Recorder());
  }

  @Test
  void closeAllStopsEveryTerminalAndRefusesNewOnes() throws Exception {
    Recorder alice = new Recorder();
    Recorder bob = new Recorder();
    Terminal a = registry.open(sandbox("alice"), Launch.of("shell"), 80, 24, alice);
    Terminal b = registry.open(sandbox("bob"), Launch.of("shell"), 80, 24, bob);

    registry.closeAll();

    alice.awaitExit();
    bob.awaitExit();
    Processes.awaitGone(a.pid());
    Processes.awaitGone(b.pid());
    assertThrows(
        IOException.class,
        () -> registry.open(sandbox("carol"), Launch.of("shell"), 80, 24, new Recorder()));
  }

  private SessionSandbox sandbox(String owner) throws Exception {
    return sandboxes.openSession(new Owner(owner, false), data);
  }
}
