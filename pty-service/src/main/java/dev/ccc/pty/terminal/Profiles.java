package dev.ccc.pty.terminal;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.ProfileInfo;
import dev.ccc.bus.BusContract.ProfileOption;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a terminal runs, by profile name: a login shell, Claude Code, Codex, and whatever agents an
 * operator adds in a file of profiles ({@code CCC_PTY_PROFILES_FILE}, a JSON array of objects with
 * the fields of {@link Profile}), which may also replace the built-in ones.
 */
public final class Profiles {

  /**
   * A profile.
   *
   * @param name what requests name it by
   * @param label what people see
   * @param command the command line; its first word is looked up on the terminal's {@code PATH}
   * @param secrets names of the user's API keys it gets in its environment
   * @param resumeArguments appended to relaunch it where its last conversation stopped (Claude
   *     Code's {@code --continue}); none when it cannot resume
   * @param install how an operator installs its command, told to the user when it is missing; null
   *     for commands every machine has
   * @param options what a user may add to the command, placed after it and before the resume
   *     arguments
   */
  public record Profile(
      String name,
      String label,
      List<String> command,
      List<String> secrets,
      List<String> resumeArguments,
      String install,
      List<ProfileOption> options) {
    public Profile {
      command = List.copyOf(command);
      secrets = List.copyOf(secrets);
      resumeArguments = List.copyOf(resumeArguments);
      options = List.copyOf(options);
      if (command.isEmpty() || command.stream().anyMatch(word -> word.isEmpty())) {
        throw new IllegalArgumentException("profile " + name + ": command must be words");
      }
      // What the bus carries about a profile is held to the bus's rules.
      new ProfileInfo(name, label, secrets, !resumeArguments.isEmpty(), options);
    }

    /** The profile as the pty-service announces it. */
    public ProfileInfo info() {
      return new ProfileInfo(name, label, secrets, !resumeArguments.isEmpty(), options);
    }
  }

  /** The login shell's profile. */
  public static final String SHELL = "shell";

  /**
   * Whether profile {@code name} runs an agent, which waits for its user when it falls quiet: every
   * profile but the login shell.
   */
  public static boolean isAgent(String name) {
    return !name.equals(SHELL);
  }

  /** A model's name or alias as the agents take it: {@code opus}, {@code claude-sonnet-4-5[1m]}. */
  private static final String MODEL_NAME = "[A-Za-z0-9][A-Za-z0-9._:\\[\\]-]{0,63}";

  private final Map<String, Profile> byName;
  private final List<Profile> order;

  public Profiles(List<Profile> profiles) {
    Map<String, Profile> map = new LinkedHashMap<>();
    profiles.forEach(profile -> map.put(profile.name(), profile));
    this.byName = Map.copyOf(map);
    this.order = List.copyOf(map.values());
  }

  /** The profiles every pty-service offers: {@code shell} (a login shell), Claude Code, Codex. */
  public static Profiles standard(String shell) {
    return new Profiles(builtIn(shell));
  }

  /**
   * The standard profiles, with those of {@code file} (when given) added, or replacing standard
   * ones of the same name.
   *
   * @throws IllegalArgumentException when the file cannot be read or a profile in it is invalid;
   *     the message says which
   */
  public static Profiles load(String shell, Path file) {
    List<Profile> profiles = new ArrayList<>(builtIn(shell));
    if (file != null) {
      JsonArray entries;
      try {
        entries = new JsonArray(Files.readString(file));
      } catch (IOException | DecodeException e) {
        throw new IllegalArgumentException(
            "CCC_PTY_PROFILES_FILE " + file + " is not a readable JSON array: " + e.getMessage());
      }
      for (Object entry : entries) {
        Profile profile = parse(file, entry);
        profiles.removeIf(existing -> existing.name().equals(profile.name()));
        profiles.add(profile);
      }
    }
    return new Profiles(profiles);
  }

  public Optional<Profile> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every profile, built-in ones first. */
  public List<Profile> all() {
    return order;
  }

  private static List<Profile> builtIn(String shell) {
    return List.of(
        new Profile(SHELL, "Shell", List.of(shell, "-l"), List.of(), List.of(), null, List.of()),
        new Profile(
            "claude",
            "Claude Code",
            List.of("claude"),
            List.of("ANTHROPIC_API_KEY"),
            List.of("--continue"),
            "npm install --global @anthropic-ai/claude-code",
            List.of(
                new ProfileOption("--model", MODEL_NAME),
                new ProfileOption("--effort", "low|medium|high|xhigh|max"),
                // Not the modes that skip its questions: an operator who wants them adds them.
                new ProfileOption("--permission-mode", "default|acceptEdits|plan|auto"),
                new ProfileOption("--verbose", null))),
        new Profile(
            "codex",
            "Codex",
            List.of("codex"),
            List.of("OPENAI_API_KEY"),
            List.of("resume", "--last"),
            "npm install --global @openai/codex",
            List.of(
                new ProfileOption("--model", MODEL_NAME),
                new ProfileOption("--ask-for-approval", "on-request|never"),
                new ProfileOption("--search", null))));
  }

  private static Profile parse(Path file, Object entry) {
    try {
      if (!(entry instanceof JsonObject json)) {
        throw new IllegalArgumentException("each profile is a JSON object");
      }
      return new Profile(
          json.getString("name"),
          json.getString("label", json.getString("name")),
          words(json, "command"),
          words(json, "secrets"),
          words(json, "resumeArguments"),
          json.getString("install"),
          options(json));
    } catch (ClassCastException
        | NullPointerException
        | BusContract.InvalidMessage
        | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CCC_PTY_PROFILES_FILE " + file + ": invalid profile " + entry + ": " + e.getMessage());
    }
  }

  private static List<ProfileOption> options(JsonObject json) {
    List<ProfileOption> options = new ArrayList<>();
    for (Object entry : json.getJsonArray("options", new JsonArray())) {
      JsonObject option = (JsonObject) entry;
      options.add(new ProfileOption(option.getString("name"), option.getString("values")));
    }
    return options;
  }

  private static List<String> words(JsonObject json, String field) {
    JsonArray array = json.getJsonArray(field, new JsonArray());
    List<String> words = new ArrayList<>();
    for (Object word : array) {
      words.add((String) word);
    }
    return words;
  }
}
