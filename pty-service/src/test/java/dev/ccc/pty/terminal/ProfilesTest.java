package dev.ccc.pty.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.sandbox.SessionSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What terminals run: the built-in agents, an operator's own, and what they get. */
@Timeout(20)
class ProfilesTest {
  @TempDir Path data;

  private static final String OPERATORS =
      """
      [
        {"name": "echo-key", "label": "Key echo", "command": ["printenv", "ANTHROPIC_API_KEY"],
         "secrets": ["ANTHROPIC_API_KEY"], "resumeArguments": ["--never-used"],
         "install": "apt-get install coreutils"},
        {"name": "args", "command": ["echo", "args:"], "resumeArguments": ["--continue"],
         "install": "it is always there",
         "options": [{"name": "--model", "values": "[a-z]+"}, {"name": "-v"}]},
        {"name": "ghost", "label": "Ghost agent", "command": ["ccc-no-such-agent"],
         "install": "npm install --global ccc-no-such-agent"},
        {"name": "claude", "label": "Claude (wrapped)", "command": ["claude-wrapper"],
         "secrets": ["ANTHROPIC_API_KEY"]}
      ]
      """;

  @Test
  void theStandardProfilesAreAShellClaudeCodeAndCodex() {
    Profiles profiles = Profiles.standard("/bin/bash");
    assertEquals(
        List.of("shell", "claude", "codex"),
        profiles.all().stream().map(Profiles.Profile::name).toList());
    assertEquals(List.of("/bin/bash", "-l"), profiles.find("shell").orElseThrow().command());
    assertEquals(List.of("ANTHROPIC_API_KEY"), profiles.find("claude").orElseThrow().secrets());
    assertEquals(List.of("OPENAI_API_KEY"), profiles.find("codex").orElseThrow().secrets());
    assertTrue(profiles.find("claude").orElseThrow().info().resumable());
  }

  @Test
  void anOperatorsFileAddsProfilesAndReplacesStandardOnes() throws Exception {
    Profiles profiles = Profiles.load("/bin/bash", file(OPERATORS));
    assertEquals(
        List.of("shell", "codex", "echo-key", "args", "ghost", "claude"),
        profiles.all().stream().map(Profiles.Profile::name).toList());
    assertEquals("Claude (wrapped)", profiles.find("claude").orElseThrow().label());
    assertEquals(
        "args", profiles.find("args").orElseThrow().label(), "the label defaults to the name");
  }

  @Test
  void aBrokenFileOfProfilesSaysWhatIsWrong() throws Exception {
    for (String broken :
        List.of(
            "{}",
            "[{\"name\": \"Bad Name\", \"command\": [\"x\"]}]",
            "[{\"name\": \"x\", \"command\": []}]",
            "[{\"name\": \"x\", \"command\": [\"x\"], \"secrets\": [\"PATH\"]}]",
            "[{\"name\": \"x\", \"command\": [1]}]",
            "[{\"name\": \"x\", \"command\": [\"x\"], \"options\": [{\"name\": \"x\"}]}]",
            "[{\"name\": \"x\", \"command\": [\"x\"],"
                + " \"options\": [{\"name\": \"-x\", \"values\": \"(\"}]}]")) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class, () -> Profiles.load("/bin/bash", file(broken)));
      assertTrue(refused.getMessage().startsWith("CCC_PTY_PROFILES_FILE"), refused.getMessage());
    }
  }

  @Test
  void anAgentGetsTheSecretsItsLaunchCarriesInItsEnvironment() throws Exception {
    Recorder recorder = new Recorder();
    launcher()
        .launch(
            sandbox(),
            new Launch("echo-key", false, List.of(), Map.of("ANTHROPIC_API_KEY", "sk-alice")),
            80,
            24,
            recorder);
    recorder.awaitText("sk-alice");
    assertEquals(0, recorder.awaitExit());
  }

  @Test
  void aResumedLaunchGetsTheProfilesResumeArguments() throws Exception {
    Recorder fresh = new Recorder();
    launcher().launch(sandbox(), Launch.of("args"), 80, 24, fresh);
    fresh.awaitText("args:");
    assertEquals(0, fresh.awaitExit());
    assertTrue(!fresh.text().contains("--continue"), fresh.text());

    Recorder resumed = new Recorder();
    launcher().launch(sandbox(), new Launch("args", true, List.of(), Map.of()), 80, 24, resumed);
    resumed.awaitText("args: --continue");
  }

  @Test
  void aUsersExtraArgumentsFollowTheCommandWhenItsOptionsAllowThem() throws Exception {
    Recorder recorder = new Recorder();
    launcher()
        .launch(
            sandbox(),
            new Launch("args", true, List.of("-v", "--model", "opus"), Map.of()),
            80,
            24,
            recorder);
    recorder.awaitText("args: -v --model opus --continue");

    for (List<String> refused :
        List.of(List.of("--model", "a;b"), List.of("--other"), List.of("--model", "-v"))) {
      IllegalArgumentException thrown =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  launcher()
                      .launch(
                          sandbox(),
                          new Launch("args", false, refused, Map.of()),
                          80,
                          24,
                          new Recorder()));
      assertTrue(
          thrown.getMessage().startsWith("your extra arguments for args:"), thrown.getMessage());
    }
  }

  @Test
  void theAgentsOffersOptionsTheirCommandsKnow() {
    Profiles profiles = Profiles.standard("/bin/bash");
    profiles
        .find("claude")
        .orElseThrow()
        .info()
        .checkArguments(
            List.of(
                "--model",
                "claude-sonnet-4-5[1m]",
                "--effort",
                "high",
                "--permission-mode",
                "plan"));
    profiles
        .find("codex")
        .orElseThrow()
        .info()
        .checkArguments(List.of("--model", "gpt-5", "--ask-for-approval", "never", "--search"));
    assertThrows(
        RuntimeException.class,
        () ->
            profiles
                .find("claude")
                .orElseThrow()
                .info()
                .checkArguments(List.of("--permission-mode", "bypassPermissions")));
  }

  @Test
  void aMissingAgentSaysSoInItsTabAndHowToInstallIt() throws Exception {
    Recorder recorder = new Recorder();
    launcher().launch(sandbox(), Launch.of("ghost"), 80, 24, recorder);

    recorder.awaitText("npm install --global ccc-no-such-agent");
    assertEquals(127, recorder.awaitExit());
    assertTrue(
        recorder.text().contains("Ghost agent is not installed on this server"), recorder.text());
  }

  private TerminalLauncher launcher() throws Exception {
    return new TerminalLauncher(
        Profiles.load("/bin/bash", file(OPERATORS)),
        ChildEnvironment.of(System.getenv(), List.of(), "/bin/bash"),
        new Retention(1 << 16, data.resolve("logs"), 0, 100));
  }

  private SessionSandbox sandbox() throws Exception {
    Path work = Files.createDirectories(data.resolve("work"));
    return Sandboxes.unconfined(data).openSession(new Owner("alice", false), work);
  }

  private Path file(String content) throws Exception {
    Path file = Files.createTempFile(data, "profiles", ".json");
    Files.writeString(file, content);
    return file;
  }
}
