package dev.ccc.pty.terminal;

import java.util.Map;

/**
 * What to start in a terminal: a profile, whether to resume its last conversation, and the owner's
 * API keys it takes, to be put in its environment and nowhere else.
 */
public record Launch(String profile, boolean resume, Map<String, String> secrets) {
  public Launch {
    secrets = Map.copyOf(secrets);
  }

  /** A fresh start of {@code profile}, with no secrets. */
  public static Launch of(String profile) {
    return new Launch(profile, false, Map.of());
  }

  @Override
  public String toString() {
    // Never the secrets' values: launches end up in logs.
    return "Launch["
        + profile
        + (resume ? ", resuming" : "")
        + ", secrets "
        + secrets.keySet()
        + "]";
  }
}
