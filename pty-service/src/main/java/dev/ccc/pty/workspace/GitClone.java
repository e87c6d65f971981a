package dev.ccc.pty.workspace;

import dev.ccc.pty.sandbox.Sandboxes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code git clone} runs as, in the owner's sandbox like everything done for a user: git gets
 * a minimal environment of its own, never the service's, and may not prompt, so that a repository
 * that needs credentials fails instead of hanging. The clone is made beside its folder and moved
 * into place once complete.
 */
final class GitClone {
  /**
   * {@code scheme://user:password@}: kept out of error texts even though the contract forbids it.
   */
  private static final Pattern CREDENTIALS =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]*@");

  /**
   * Clones into the unfinished folder (after removing a leftover there), gives it to the owner
   * alone, moves it into place; whatever happened, nothing unfinished is left.
   */
  private static final String CLONE_AND_MOVE =
      "target=$1 unfinished=$2; shift 2\n"
          + "rm -rf -- \"$unfinished\" && \"$@\" \"$unfinished\" && chmod 0700 \"$unfinished\""
          + " && mv -T -- \"$unfinished\" \"$target\"\n"
          + "status=$?; rm -rf -- \"$unfinished\"; exit $status\n";

  private final Set<String> schemes;
  private final Duration timeout;

  /**
   * @param schemes the URL schemes git may use, in lower case
   */
  GitClone(Set<String> schemes, Duration timeout) {
    this.schemes = Set.copyOf(schemes);
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * @throws IllegalArgumentException when {@code url} has a scheme this service does not allow
   */
  void checkScheme(String url) {
    String scheme;
    try {
      scheme = new URI(url).getScheme();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cloneUrl is not a URL");
    }
    if (scheme == null || !schemes.contains(scheme.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "cloneUrl must use one of the schemes " + schemes.stream().sorted().toList());
    }
  }

  /**
   * The job that clones {@code url} (at {@code branch}, unless null) into the owner's workspace
   * named {@code name}, which must not exist. The caller has checked the scheme ({@link
   * #checkScheme}).
   */
  Sandboxes.Job job(String url, String branch, String name, String unfinished) {
    List<String> git = new ArrayList<>(List.of("git", "clone", "--depth", "1"));
    if (branch != null) {
      git.addAll(List.of("--branch", branch));
    }
    // "--" ends the options: a URL can never be taken for one. The folder comes last.
    git.addAll(List.of("--single-branch", "--", url));
    return new Sandboxes.Job(
        "git clone",
        folder -> {
          List<String> command =
              new ArrayList<>(
                  List.of(
                      "sh",
                      "-c",
                      CLONE_AND_MOVE,
                      "ccc-clone",
                      folder.resolve(name).toString(),
                      folder.resolve(unfinished).toString()));
          command.addAll(git);
          return command;
        },
        Map.of(
            "LANG", "C.UTF-8",
            "GIT_TERMINAL_PROMPT", "0",
            "GIT_ASKPASS", "/bin/false",
            "GIT_CONFIG_NOSYSTEM", "1",
            // Also binds redirects and transports git picks itself, not only the URL's scheme.
            "GIT_ALLOW_PROTOCOL", String.join(":", schemes)),
        new byte[0],
        timeout);
  }

  /**
   * One line saying why git failed. Git's first {@code fatal:} or {@code error:} line says it best;
   * the lines after it are generic hints ("Please make sure you have the correct access rights").
   */
  static String reason(String stderr, int exitCode) {
    List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String line =
        lines.stream()
            .filter(l -> l.startsWith("fatal:") || l.startsWith("error:"))
            .findFirst()
            .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    if (line.isEmpty()) {
      return "git clone exited with " + exitCode;
    }
    return CREDENTIALS.matcher(line).replaceAll("$1");
  }
}
