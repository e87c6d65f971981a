package dev.ccc.pty.terminal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.sandbox.SessionSandbox;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A terminal outlives its process: relaunched in place, or rebuilt cold from its log after a
 * restart of the service. Real bash in real PTYs.
 */
@Timeout(30)
class RelaunchTest {
  private static final String BASH = "/bin/bash";

  @TempDir Path data;
  private Path work;
  private Retention retention;
  private TerminalLauncher launcher;
  private SessionSandbox sandbox;
  private final List<Terminal> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createDirectories(data.resolve("work"));
    // A small memory buffer, so that the replays below come from the disk log too.
    retention = new Retention(4096, data.resolve("terminals"), 1 << 20, 100);
    launcher =
        new TerminalLauncher(
            Profiles.standard(BASH),
            ChildEnvironment.of(System.getenv(), List.of(), BASH),
            retention);
    sandbox = Sandboxes.unconfined(data).openSession(new Owner("alice", false), work);
  }

  @AfterEach
  void closeTerminals() {
    started.forEach(Terminal::close);
  }

  private static void type(Terminal terminal, String line) {
    assertTrue(terminal.write((line + "\n").getBytes(UTF_8)));
  }

  @Test
  void relaunchInPlaceKeepsTheIdAndTheOffsetsContiguousWithTheMarkerInTheReplay() throws Exception {
    Recorder recorder = Recorder.forRelaunches(0);
    Terminal terminal = launcher.launch(sandbox, Launch.of("shell"), 80, 24, recorder);
    started.add(terminal);
    type(terminal, "seq 1 3000; echo first-$((6*7)); exit 3");
    assertEquals(3, recorder.awaitExit());
    assertEquals(Optional.of(3), terminal.exitCode());
    assertFalse(terminal.write("ignored\n".getBytes(UTF_8)), "no process reads the input");
    long firstEnd = recorder.bytes().length;

    launcher.relaunch(sandbox, terminal, Launch.of("shell"), 80, 24);
    assertThrows(
        IllegalStateException.class,
        () -> launcher.relaunch(sandbox, terminal, Launch.of("shell"), 80, 24),
        "a running terminal is not relaunched");
    assertFalse(terminal.hasExited());
    assertEquals(Optional.empty(), terminal.exitCode());
    type(terminal, "echo second-$((7*7))");
    String text = recorder.awaitText("second-49");

    recorder.assertDeliveredInOrder();
    int marker = text.indexOf("relaunched ");
    assertTrue(text.indexOf("first-42") < marker && marker < text.indexOf("second-49"), text);
    assertTrue(new String(recorder.bytes(), UTF_8).startsWith("\u001b[0m", (int) firstEnd));
    // The whole stream, the old process's output (from the disk log), the marker and the new
    // one's, under one id and one run of offsets.
    byte[] recorded = recorder.bytes();
    assertArrayEquals(recorded, readAll(terminal, 0, recorded.length));
  }

  @Test
  void aColdTerminalIsRebuiltFromItsLogAndGoesOnFromItsEndWhenRelaunched() throws Exception {
    Recorder first = Recorder.forRelaunches(0);
    Terminal terminal = launcher.launch(sandbox, Launch.of("shell"), 100, 30, first);
    type(terminal, "seq 1 3000; echo cold-$((6*7)); exit");
    first.awaitExit();
    UUID workspace = UUID.randomUUID();
    TerminalRecord record =
        new TerminalRecord(
            terminal.id(), UUID.randomUUID(), "alice", workspace, "shell", "build", 100, 30);
    terminal.save(record);
    byte[] before = first.bytes();
    // A folder an interrupted run left without a record is not a terminal.
    Files.createDirectories(retention.logFolder().resolve(UUID.randomUUID().toString()));

    List<TerminalRecord> leftovers = retention.leftovers();
    assertEquals(List.of(record), leftovers);
    assertEquals(1, Files.list(retention.logFolder()).count(), "the stray folder is gone");
    Recorder second = Recorder.forRelaunches(before.length);
    Terminal cold = launcher.cold(record, second);
    started.add(cold);

    assertTrue(cold.hasExited());
    assertEquals(Optional.empty(), cold.exitCode(), "a cold terminal has no exit code");
    assertArrayEquals(new int[] {100, 30}, cold.size());
    assertArrayEquals(before, readAll(cold, 0, before.length), "byte-exact from the log");
    Terminal.Replay.Drawn screen =
        assertInstanceOf(Terminal.Replay.Drawn.class, cold.replay(null, Integer.MAX_VALUE));
    assertEquals(before.length, screen.offset());
    assertTrue(new String(screen.bytes(), UTF_8).contains("cold-42"), "the screen is rebuilt");

    launcher.relaunch(sandbox, cold, Launch.of("shell"), 100, 30);
    type(cold, "echo warm-$((6*8))");
    second.awaitText("warm-48");
    second.assertDeliveredInOrder();
    assertTrue(second.text().startsWith("\u001b[0m"), "the marker comes first");
    byte[] all = readAll(cold, 0, before.length + second.bytes().length);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(before);
    expected.write(second.bytes());
    assertArrayEquals(expected.toByteArray(), all);

    cold.close();
    second.awaitExit();
    cold.discard();
    assertEquals(List.of(), retention.leftovers(), "a discarded terminal leaves nothing");
  }

  /** The terminal's output from {@code from} to {@code to}, page by page, as a viewer reads it. */
  private static byte[] readAll(Terminal terminal, long from, long to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long at = from;
    while (at < to) {
      OutputBuffer.Slice slice =
          assertInstanceOf(Terminal.Replay.Output.class, terminal.replay(at, 1000)).slice();
      assertEquals(at, slice.start());
      out.writeBytes(slice.bytes());
      at = slice.end();
    }
    return out.toByteArray();
  }
}
