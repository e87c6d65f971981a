package dev.ccc.pty.terminal;

import java.util.List;
import java.util.Map;

/**
 * What to start in a terminal: a profile, whether to resume its last conversation, the owner's
 * extra arguments for it (which its options must allow), and the owner's API keys it takes, to be
 * put in its environment and nowhere else.
 */
public record Launch(
    String profile, boolean resume, List<String> arguments, Map<String, String> secrets) {
  public Launch {
    arguments = List.copyOf(arguments);
    secrets = Map.copyOf(secrets);
  }

  /** A fresh start of {@code profile}, with no extra arguments and no secrets. */
  public static Launch of(String profile) {
    return new Launch(profile, false, List.of(), Map.of());
  }

  @Override
  public String toString() {
    // Never the secrets' values: launches end up in logs.
    return "Launch["
        + profile
        + (resume ? ", resuming" : "")
        + ", arguments "
        + arguments
        + ", secrets "
        + secrets.keySet()
        + "]";
  }
}
