package dev.ccc.deploy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The README's configuration table, the single list of the services' settings: each variable, the
 * services that read it and its default.
 */
final class ConfigurationTable {
  /** A row: {@code defaultValue} is the literal default, empty when the table gives none. */
  record Setting(String name, Set<String> services, Optional<String> defaultValue) {}

  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| `(CCC_[A-Z0-9_]+)` \\| ([a-z, ]+) \\| ([^|]*) \\|");

  /** A default written as one code span, such as {@code `8`}; not "generated" or "(none)". */
  private static final Pattern LITERAL = Pattern.compile("^`([^`]*)`$");

  private static final Map<String, Set<String>> SERVICES =
      Map.of(
          "api", Set.of(Services.API),
          "gateway", Set.of(Services.GATEWAY),
          "pty", Set.of(Services.PTY),
          "all", Services.ALL);

  private ConfigurationTable() {}

  static Map<String, Setting> read() {
    String readme = Repository.read("README.md");
    String table = readme.substring(readme.indexOf("## Configuration"));
    table = table.substring(0, table.indexOf("\n## ", 1));
    Map<String, Setting> settings = new LinkedHashMap<>();
    Matcher row = ROW.matcher(table);
    while (row.find()) {
      Set<String> services =
          Arrays.stream(row.group(2).split(","))
              .map(String::trim)
              .flatMap(
                  key -> {
                    Set<String> named = SERVICES.get(key);
                    if (named == null) {
                      throw new IllegalStateException("README names an unknown service: " + key);
                    }
                    return named.stream();
                  })
              .collect(Collectors.toUnmodifiableSet());
      Matcher literal = LITERAL.matcher(row.group(3).trim());
      settings.put(
          row.group(1),
          new Setting(
              row.group(1),
              services,
              literal.matches() ? Optional.of(literal.group(1)) : Optional.empty()));
    }
    if (settings.size() < 20) {
      throw new IllegalStateException("the README's configuration table did not parse");
    }
    return settings;
  }

  /** The variables {@code service} reads. */
  static Set<String> of(Map<String, Setting> settings, String service) {
    return settings.values().stream()
        .filter(setting -> setting.services().contains(service))
        .map(Setting::name)
        .collect(Collectors.toUnmodifiableSet());
  }
}
