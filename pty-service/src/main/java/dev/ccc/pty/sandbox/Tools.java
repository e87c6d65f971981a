package dev.ccc.pty.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The programs sandboxes are made with, found once at startup in the system's folders, so that
 * every command line names them by absolute path and a missing one is reported before any user
 * needs it.
 */
record Tools(Map<String, Path> paths) {
  /** util-linux (setpriv, nsenter, prlimit), coreutils (nice, stat), bubblewrap, socat, bash. */
  static final List<String> NEEDED =
      List.of("bwrap", "setpriv", "nsenter", "prlimit", "nice", "stat", "socat", "bash");

  private static final List<Path> FOLDERS =
      List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin").stream()
          .map(Path::of)
          .toList();

  /** The needed programs found here; those missing are left out. */
  static Tools find() {
    Map<String, Path> found = new LinkedHashMap<>();
    for (String name : NEEDED) {
      FOLDERS.stream()
          .map(folder -> folder.resolve(name))
          .filter(Files::isExecutable)
          .findFirst()
          .ifPresent(path -> found.put(name, path));
    }
    return new Tools(Map.copyOf(found));
  }

  /** The needed programs that were not found, if any. */
  Optional<String> missing() {
    List<String> missing = NEEDED.stream().filter(name -> !paths.containsKey(name)).toList();
    return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing));
  }

  String path(String name) {
    Path path = paths.get(name);
    if (path == null) {
      throw new IllegalStateException(name + " is not installed");
    }
    return path.toString();
  }
}
