package dev.ccc.pty.terminal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.sandbox.SessionSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real bash in a real PTY; nothing here is simulated. */
@Timeout(20)
class TerminalTest {
  private static final String BASH = "/bin/bash";

  @TempDir Path data;
  private Path homes;
  private Path work;
  private final List<Terminal> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    homes = data.resolve("homes");
    work = data.resolve("work");
    Files.createDirectories(work);
  }

  @AfterEach
  void closeTerminals() {
    started.forEach(Terminal::close);
  }

  private Terminal start(Recorder recorder, int bufferBytes) throws Exception {
    return start(recorder, new Retention(bufferBytes, data.resolve("logs"), 0, 100));
  }

  private Terminal start(Recorder recorder, Retention retention) throws Exception {
    TerminalLauncher launcher =
        new TerminalLauncher(
            Profiles.standard(BASH),
            ChildEnvironment.of(System.getenv(), List.of(), BASH),
            retention);
    Terminal terminal =
        launcher.launch(
            Sandboxes.unconfined(data).openSession(new Owner("alice", false), work),
            Launch.of("shell"),
            80,
            24,
            recorder);
    started.add(terminal);
    return terminal;
  }

  private Terminal start(Recorder recorder) throws Exception {
    return start(recorder, 1 << 20);
  }

  private static void type(Terminal terminal, String line) {
    assertTrue(terminal.write((line + "\n").getBytes(UTF_8)));
  }

  @Test
  void inputReachesTheShellAndItsOutputComesBack() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "echo hello-$((6*7))");
    recorder.awaitText("hello-42");
    assertEquals("alice", terminal.owner());
    recorder.assertDeliveredInOrder();
  }

  @Test
  void resizeChangesTheSizeTheChildSees() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "stty size");
    recorder.awaitText("24 80");
    terminal.resize(120, 40);
    type(terminal, "stty size");
    recorder.awaitText("40 120");
  }

  @Test
  void closeKillsTheShellAndEveryJobItStarted() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "sleep 1000 & echo background=$!");
    type(terminal, "nohup sleep 1001 >/dev/null 2>&1 & echo nohup=$!");
    type(terminal, "sleep 1002 & disown; echo disowned=$!");
    String output = recorder.awaitText("disowned=");
    long background = pidAfter(recorder, "background=");
    long nohup = pidAfter(recorder, "nohup=");
    long disowned = pidAfter(recorder, "disowned=");
    for (long pid : List.of(terminal.pid(), background, nohup, disowned)) {
      assertFalse(Processes.isGone(pid), "process " + pid + " should run before close: " + output);
    }

    terminal.close();

    recorder.awaitExit();
    for (long pid : List.of(terminal.pid(), background, nohup, disowned)) {
      Processes.awaitGone(pid);
    }
    assertTrue(terminal.hasExited());
  }

  @Test
  void closeAlsoKillsWhatLeftTheSessionWithSetsid() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    // A foreground job leads its process group, so setsid forks: the child, in a session of its
    // own, tells its pid and becomes the sleep.
    type(terminal, "setsid sh -c 'echo escaped=$$; exec sleep 1004'");
    long escaped = pidAfter(recorder, "escaped=");
    String stat = Files.readString(Path.of("/proc", Long.toString(escaped), "stat"));
    assertNotEquals(terminal.pid(), SessionKiller.Stat.parse(stat).session(), "left the session");
    assertFalse(Processes.isGone(escaped));

    terminal.close();

    recorder.awaitExit();
    Processes.awaitGone(escaped);
  }

  @Test
  void anExitingShellTakesItsLeftoverJobsWithIt() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "nohup sleep 1003 >/dev/null 2>&1 & echo leftover=$!");
    long leftover = pidAfter(recorder, "leftover=");
    type(terminal, "exit 0");
    assertEquals(0, recorder.awaitExit());
    Processes.awaitGone(leftover);
  }

  @Test
  void exitCodeIsDeliveredOnceAfterTheLastOutput() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "echo last-$((1+1)); exit 3");
    assertEquals(3, recorder.awaitExit());
    assertTrue(recorder.text().contains("last-2"), recorder.text());
    Thread.sleep(200);
    assertEquals(List.of(3), recorder.exitCodes());
    recorder.assertDeliveredInOrder();
    assertTrue(terminal.hasExited());
    assertFalse(terminal.write("echo too late\n".getBytes(UTF_8)));
  }

  @Test
  void offsetsAreContiguousFromZeroAndMatchTheReplay() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    // About 110 KB, more than one 64 KiB read.
    type(terminal, "seq 1 20000; echo done-$((5*5))");
    recorder.awaitText("done-25");
    OutputBuffer.Slice all = output(terminal.replay(0L, Integer.MAX_VALUE));
    assertEquals(0, all.start());
    byte[] recorded = recorder.bytes();
    assertTrue(recorded.length > 100_000, "output was " + recorded.length + " bytes");
    // Chunks are delivered under the lock the replay takes: it holds a prefix of the recording.
    assertArrayEquals(Arrays.copyOf(recorded, all.bytes().length), all.bytes());
    recorder.assertDeliveredInOrder();
  }

  @Test
  void replayFromAMidOffsetReturnsExactlyTheRemainingBytes() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "seq 1 2000; echo done-$((5*5))");
    recorder.awaitText("done-25");
    long mid = recorder.bytes().length / 2;
    OutputBuffer.Slice rest = output(terminal.replay(mid, Integer.MAX_VALUE));
    byte[] recorded = recorder.bytes();
    assertEquals(mid, rest.start());
    assertArrayEquals(Arrays.copyOfRange(recorded, (int) mid, (int) rest.end()), rest.bytes());
  }

  @Test
  void anOffsetTheMemoryBufferDroppedIsReadFromTheDiskLog() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder, new Retention(4096, data.resolve("logs"), 1 << 20, 100));
    type(terminal, "seq 1 5000; echo done-$((5*5))");
    recorder.awaitText("done-25");
    byte[] recorded = recorder.bytes();
    OutputBuffer.Slice first = output(terminal.replay(10L, 1000));
    assertEquals(10, first.start());
    assertArrayEquals(Arrays.copyOfRange(recorded, 10, 1010), first.bytes());
  }

  @Test
  void anOffsetKeptNowhereGetsTheScreenAtTheEndOfTheOutput() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder, 4096);
    type(terminal, "seq 1 5000; echo done-$((5*5))");
    recorder.awaitText("done-25");
    // The prompt may still be arriving: the screen's offset is the output's end at the moment
    // of the replay, between what the recorder held before and after it.
    long before = recorder.bytes().length;
    Terminal.Replay.Drawn drawn =
        assertInstanceOf(Terminal.Replay.Drawn.class, terminal.replay(0L, Integer.MAX_VALUE));
    long after = recorder.bytes().length;
    assertTrue(
        before <= drawn.offset() && drawn.offset() <= after,
        drawn.offset() + " outside [" + before + ", " + after + "]");
    String screen = new String(drawn.bytes(), UTF_8);
    assertTrue(screen.startsWith("\u001bc"), "a screen starts with a reset");
    assertTrue(screen.contains("done-25"), screen);
  }

  @Test
  void aViewerWithoutAnOffsetGetsAllOutputWhileTheBufferHoldsItAll() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "echo hello-$((6*7))");
    recorder.awaitText("hello-42");
    OutputBuffer.Slice all = output(terminal.replay(null, Integer.MAX_VALUE));
    assertEquals(0, all.start());
  }

  private static OutputBuffer.Slice output(Terminal.Replay replay) {
    return assertInstanceOf(Terminal.Replay.Output.class, replay).slice();
  }

  @Test
  void childSeesOnlyTheAllowListedEnvironment() throws Exception {
    assertEquals(
        "topsecret",
        System.getenv("CCC_TEST_SECRET"),
        "surefire must give the test JVM CCC_TEST_SECRET, or this test proves nothing");
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    type(terminal, "env -0 > \"$HOME/env.dump\"; echo env-$((40+2))");
    recorder.awaitText("env-42");
    Path home = homes.resolve("alice");
    Map<String, String> env = new HashMap<>();
    for (String entry : Files.readString(home.resolve("env.dump")).split("\0")) {
      int equals = entry.indexOf('=');
      env.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    assertFalse(env.containsKey("CCC_TEST_SECRET"), env.toString());
    assertFalse(env.containsValue("topsecret"), env.toString());
    assertEquals(home.toString(), env.get("HOME"));
    assertEquals(work.toString(), env.get("PWD"));
    assertEquals("alice", env.get("USER"));
    assertEquals("alice", env.get("LOGNAME"));
    assertEquals(BASH, env.get("SHELL"));
    assertEquals("xterm-256color", env.get("TERM"));
    assertEquals("truecolor", env.get("COLORTERM"));
    assertEquals("C.UTF-8", env.get("LANG"));
    assertEquals(terminal.id().toString(), env.get(SessionKiller.TERMINAL_VARIABLE));
  }

  @Test
  void homeIsCreatedPrivateToTheService() throws Exception {
    Recorder recorder = new Recorder();
    start(recorder);
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(homes.resolve("alice"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(homes)));
  }

  @Test
  void utf8RoundTripsByteExactly() throws Exception {
    Recorder recorder = new Recorder();
    Terminal terminal = start(recorder);
    String text = "한글 😀";
    // The echo of the typed line shows the format, so only printf's output has the markers.
    type(terminal, "printf '<%s>\\n' '" + text + "'");
    recorder.awaitText("<" + text + ">");
    byte[] expected = ("<" + text + ">").getBytes(UTF_8);
    assertTrue(indexOf(recorder.bytes(), expected) >= 0);
  }

  @Test
  void unknownProfilesAndDotOwnersAreRejected() throws Exception {
    TerminalLauncher launcher =
        new TerminalLauncher(
            Profiles.standard(BASH),
            ChildEnvironment.of(Map.of(), List.of(), BASH),
            new Retention(1024, data.resolve("logs"), 0, 100));
    Sandboxes sandboxes = Sandboxes.unconfined(data);
    SessionSandbox alice = sandboxes.openSession(new Owner("alice", false), work);
    assertThrows(
        IllegalArgumentException.class,
        () -> launcher.launch(alice, Launch.of("no-such-profile"), 80, 24, new Recorder()));
    assertThrows(
        IllegalArgumentException.class, () -> sandboxes.openSession(new Owner("..", false), work));
    assertThrows(
        IllegalArgumentException.class, () -> sandboxes.openSession(new Owner(".", false), work));
  }

  private static long pidAfter(Recorder recorder, String label) throws InterruptedException {
    Pattern pattern = Pattern.compile(Pattern.quote(label) + "(\\d+)");
    Matcher matcher = pattern.matcher(recorder.awaitOutput(text -> pattern.matcher(text).find()));
    assertTrue(matcher.find());
    long pid = Long.parseLong(matcher.group(1));
    assertNotEquals(0, pid);
    return pid;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
