package dev.ccc.pty.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
  private static final Map<String, String> SERVICE =
      Map.of(
          "ANTHROPIC_API_KEY", "sk-passed",
          "PATH", "/opt/agents/bin:/usr/bin:/bin",
          "HOME", "/root",
          "CCC_CLUSTER_NAME", "prod");

  @Test
  void childGetsOnlyTheFixedVariablesByDefault() {
    Map<String, String> env =
        ChildEnvironment.of(SERVICE, List.of(), "/bin/bash")
            .inSandbox(Map.of(), identity("bob", "/h/bob"));
    assertEquals(
        Map.of(
            "PATH", ChildEnvironment.DEFAULT_PATH,
            "LANG", "C.UTF-8",
            "TERM", "xterm-256color",
            "COLORTERM", "truecolor",
            "HOME", "/h/bob",
            "USER", "bob",
            "LOGNAME", "bob",
            "SHELL", "/bin/bash"),
        env);
  }

  @Test
  void passthroughCopiesNamedVariablesButNeverTheOwnersIdentity() {
    Map<String, String> env =
        ChildEnvironment.of(
                SERVICE, List.of("ANTHROPIC_API_KEY", "PATH", "HOME", "UNSET"), "/bin/sh")
            .inSandbox(Map.of(), identity("bob", "/h/bob"));
    assertEquals("sk-passed", env.get("ANTHROPIC_API_KEY"));
    assertEquals("/opt/agents/bin:/usr/bin:/bin", env.get("PATH"));
    assertEquals("/h/bob", env.get("HOME"));
    assertFalse(env.containsKey("UNSET"));
    assertFalse(env.containsKey("CCC_CLUSTER_NAME"));
    assertEquals(9, env.size());
  }

  /** What a sandbox sets about its user. */
  private static Map<String, String> identity(String user, String home) {
    return Map.of("HOME", home, "USER", user, "LOGNAME", user);
  }
}
