package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real Claude Code and Codex CLIs in users' tabs, each with their own API keys and nobody
 * else's, through the three services and the users' sandboxes. Needs the CLIs installed where the
 * pty-service runs (CI installs them; {@code npm install --global @anthropic-ai/claude-code
 * @openai/codex}), each test skipped without its own, and root, so that the test can read the
 * agents' environments.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentTabsEndToEndTest {
  private static final String PASSWORD = "a long enough password";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 10;

  @Test
  void eachUsersClaudeCodeTabGetsTheirOwnKeyAndARelaunchContinuesTheConversation()
      throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/claude"))
            || Files.isExecutable(Path.of("/usr/local/bin/claude")),
        "Claude Code is not installed");
    assumeTrue(
        "0".equals(IsolationEndToEndTest.run("id", "-u").strip()),
        "reading agents' environments needs root");
    LocalStack stack = LocalStack.get();
    ApiClient admin = ApiClient.loginAsAdmin(stack);
    // Without the internet here, Claude Code says so and exits within seconds: each agent's
    // environment is read while it runs, before the next one starts.
    Agent alice =
        Agent.start(stack, admin, "claude", "sk-ant-alice-" + UUID.randomUUID(), "", List.of());
    String alicesAgent = environmentOf(alice.uid(stack), "claude", "ANTHROPIC_API_KEY");
    Agent bob =
        Agent.start(stack, admin, "claude", "sk-ant-bob-" + UUID.randomUUID(), "", List.of());
    String bobsAgent = environmentOf(bob.uid(stack), "claude", "ANTHROPIC_API_KEY");

    assertTrue(
        alicesAgent.contains("ANTHROPIC_API_KEY=" + alice.key), "alice's agent lacks her key");
    assertFalse(alicesAgent.contains(bob.key), "alice's agent has bob's key");
    assertTrue(bobsAgent.contains("ANTHROPIC_API_KEY=" + bob.key), "bob's agent lacks his key");
    assertFalse(bobsAgent.contains(alice.key), "bob's agent has alice's key");
    for (Agent agent : List.of(alice, bob)) {
      // Claude Code draws its spaces as cursor moves: one word is what a tab's bytes hold whole.
      agent.socket.awaitOutput(1, "Welcome", WAIT);
      // "Unable to connect to Anthropic services": the tab says why the agent ends here.
      agent.socket.awaitOutput(1, "Unable", WAIT);
    }

    // Unable to reach Anthropic, Claude Code exits, and with it the session of its one tab; its
    // relaunch continues the conversation.
    awaitIdle(alice);
    alice.api.startSession(alice.session, 120, 40, true);
    awaitClaudeContinuing(alice.uid(stack));
  }

  /**
   * A Codex tab gets the user's OpenAI key, and not their Anthropic key, which it does not take;
   * and the options the user chose for it.
   */
  @Test
  void aCodexTabGetsOnlyTheKeyItTakesAndItsUsersOptions() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/codex"))
            || Files.isExecutable(Path.of("/usr/local/bin/codex")),
        "Codex is not installed");
    assumeTrue(
        "0".equals(IsolationEndToEndTest.run("id", "-u").strip()),
        "reading agents' environments needs root");
    LocalStack stack = LocalStack.get();
    String anthropic = "sk-ant-carol-" + UUID.randomUUID();
    String openAi = "sk-carol-" + UUID.randomUUID();
    Agent carol =
        Agent.start(
            stack,
            ApiClient.loginAsAdmin(stack),
            "codex",
            anthropic,
            openAi,
            List.of("--model", "gpt-5", "--search"));

    String environment =
        environmentOf(carol.uid(stack), "codex --model gpt-5 --search", "OPENAI_API_KEY");
    carol.api.stopSession(carol.session);

    assertTrue(environment.contains("OPENAI_API_KEY=" + openAi), "codex lacks the OpenAI key");
    assertFalse(environment.contains(anthropic), "codex got the Anthropic key");
  }

  /**
   * Waits until Claude Code runs with {@code --continue} as {@code uid}, or as anyone when it is
   * negative. Polled often: here it exits within seconds.
   */
  static void awaitClaudeContinuing(int uid) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (processesOf(uid).stream()
        .map(process -> read(process.resolve("cmdline")))
        .noneMatch(line -> line.contains("claude") && line.contains("--continue"))) {
      assertTrue(System.nanoTime() < deadline, "no claude --continue ran");
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static void awaitIdle(Agent agent) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!"idle".equals(agent.api.session(agent.session).getString("state"))) {
      assertTrue(System.nanoTime() < deadline, "the session did not end with its agent");
      Thread.sleep(100);
    }
  }

  /** The environment of a process running {@code command} as {@code uid} with {@code variable}. */
  private static String environmentOf(int uid, String command, String variable) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (Path process : processesOf(uid)) {
        String commandLine = read(process.resolve("cmdline"));
        if (commandLine.contains(command)) {
          String environment = read(process.resolve("environ"));
          if (environment.contains(variable + "=")) {
            return environment;
          }
        }
      }
      assertTrue(System.nanoTime() < deadline, "no " + command + " runs as uid " + uid);
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static List<Path> processesOf(int uid) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
          .filter(
              entry -> uid < 0 || read(entry.resolve("status")).contains("\nUid:\t" + uid + "\t"))
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file)).replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  /**
   * A new user with their API keys set (an empty one is not set), their {@code arguments} for
   * {@code profile}, and a session running it, attached on channel 1; {@code key} is their
   * Anthropic key.
   */
  private record Agent(String id, String key, ApiClient api, String session, GatewayClient socket) {
    static Agent start(
        LocalStack stack,
        ApiClient admin,
        String profile,
        String key,
        String openAiKey,
        List<String> arguments)
        throws Exception {
      String name = "agent-" + UUID.randomUUID().toString().substring(0, 8);
      String id = admin.createUser(name, PASSWORD);
      ApiClient api = ApiClient.login(stack, name, PASSWORD);
      api.setCredential("ANTHROPIC_API_KEY", key);
      if (!openAiKey.isEmpty()) {
        api.setCredential("OPENAI_API_KEY", openAiKey);
      }
      if (!arguments.isEmpty()) {
        api.setProfileArguments(profile, arguments);
      }
      String session = api.createSession(api.createWorkspace("Agents"), profile, profile);
      String terminal = api.startSession(session, 120, 40);
      GatewayClient socket = GatewayClient.connect(stack, api.wsTicket());
      socket.attach(1, terminal);
      return new Agent(id, key, api, session, socket);
    }

    int uid(LocalStack stack) throws IOException {
      return (Integer)
          Files.getAttribute(
              stack.ptyData().resolve("homes").resolve(id), "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
  }
}
