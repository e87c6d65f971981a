package dev.ccc.pty.terminal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a terminal runs, by profile name: the {@code profile} of an open request picks one. Only
 * {@code shell} exists today; agent CLIs (claude, codex) become further entries.
 */
public final class Profiles {

  /** The command line of a profile's child process. */
  @FunctionalInterface
  public interface Profile {
    List<String> command();
  }

  private final Map<String, Profile> byName;

  public Profiles(Map<String, Profile> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** The profiles every pty-service offers; {@code shell} is a login shell. */
  public static Profiles standard(String shell) {
    return new Profiles(Map.of("shell", () -> List.of(shell, "-l")));
  }

  public Optional<Profile> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
