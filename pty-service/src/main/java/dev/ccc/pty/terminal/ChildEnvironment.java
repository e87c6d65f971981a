package dev.ccc.pty.terminal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of a terminal's child, built from an allow-list. The service's own environment is
 * never inherited: it holds cluster settings and whatever secrets the operator gave the service,
 * and a user's shell must see none of them.
 *
 * <p>A child gets {@code PATH}, {@code LANG}, {@code TERM}, {@code COLORTERM} with fixed defaults,
 * then the variables the operator named for passthrough (which may override those defaults, e.g. a
 * {@code PATH} that includes where agent CLIs are installed), then what the terminal's sandbox sets
 * ({@code HOME}, {@code USER}, {@code LOGNAME}, the proxy) and {@code SHELL}, which describe the
 * terminal's owner and its sandbox and cannot be overridden.
 */
public final class ChildEnvironment {
  public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private final Map<String, String> shared;
  private final String shell;

  private ChildEnvironment(Map<String, String> shared, String shell) {
    this.shared = Map.copyOf(shared);
    this.shell = shell;
  }

  /**
   * Takes the values of {@code passthrough} from {@code serviceEnvironment} now; names that are not
   * set there are left out.
   */
  public static ChildEnvironment of(
      Map<String, String> serviceEnvironment, List<String> passthrough, String shell) {
    Map<String, String> shared = new HashMap<>();
    shared.put("PATH", DEFAULT_PATH);
    shared.put("LANG", "C.UTF-8");
    shared.put("TERM", "xterm-256color");
    shared.put("COLORTERM", "truecolor");
    for (String name : passthrough) {
      String value = serviceEnvironment.get(name);
      if (value != null) {
        shared.put(name, value);
      }
    }
    return new ChildEnvironment(shared, shell);
  }

  /**
   * The complete environment of a child in a sandbox: the shared variables, then {@code secrets}
   * (the owner's API keys its profile takes), then what the sandbox sets ({@code HOME}, {@code
   * USER}, {@code LOGNAME} as the child sees them, the proxy), then {@code SHELL}.
   */
  Map<String, String> inSandbox(Map<String, String> secrets, Map<String, String> sandboxed) {
    Map<String, String> environment = new HashMap<>(shared);
    environment.putAll(secrets);
    environment.putAll(sandboxed);
    environment.put("SHELL", shell);
    return environment;
  }
}
