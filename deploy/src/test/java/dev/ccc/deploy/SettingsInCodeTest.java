package dev.ccc.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ccc.deploy.ConfigurationTable.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table and the code say the same: every variable a service reads is a
 * row naming that service, and every row is read by the services it names.
 */
class SettingsInCodeTest {
  private static final Pattern LITERAL = Pattern.compile("\"(CCC_[A-Z0-9_]+)\"");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(CCC_[A-Z0-9_]+)");
  private static final Pattern PROPERTY = Pattern.compile("(?m)^(ccc\\.[a-z0-9.-]+)=");
  private static final Pattern MAPPING =
      Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.]+)\"\\)");
  private static final Pattern METHOD = Pattern.compile("^( +)([\\w<>, ]+?) (\\w+)\\(\\);");
  private static final Pattern INTERFACE = Pattern.compile("^( *)(?:public )?interface (\\w+)");

  private final Map<String, Setting> table = ConfigurationTable.read();

  @Test
  void theVertxServicesReadExactlyTheirRows() {
    // The bus module's settings are read by every service that joins the cluster.
    Set<String> shared = literals("bus");
    for (String service : List.of(Services.PTY, Services.GATEWAY)) {
      Set<String> read = new TreeSet<>(shared);
      read.addAll(literals(service));
      assertEquals(
          new TreeSet<>(ConfigurationTable.of(table, service)), read, service + "'s settings");
    }
  }

  @Test
  void theApiServiceReadsExactlyItsRows() {
    Set<String> read = new TreeSet<>(literals("bus"));
    read.addAll(literals(Services.API));
    String properties = Repository.read("api-service/src/main/resources/application.properties");
    matches(PLACEHOLDER, properties).forEach(read::add);
    matches(PROPERTY, properties).forEach(key -> read.add(variable(key)));
    read.addAll(configMappings());
    assertEquals(new TreeSet<>(ConfigurationTable.of(table, Services.API)), read);
  }

  /** Variables named by string literals in a module's main sources. */
  private static Set<String> literals(String module) {
    Set<String> found = new TreeSet<>();
    for (Path file : javaFiles(module)) {
      matches(LITERAL, read(file)).forEach(found::add);
    }
    return found;
  }

  /**
   * The variables of the api-service's {@code @ConfigMapping} interfaces: the prefix, then the
   * accessor's name; an accessor of a nested interface comes under the name of the accessor that
   * returns that interface ({@code ccc} + {@code jwt()} + {@code keyDir()} is CCC_JWT_KEY_DIR).
   */
  private static Set<String> configMappings() {
    Set<String> found = new TreeSet<>();
    for (Path file : javaFiles(Services.API)) {
      String source = read(file);
      Matcher mapping = MAPPING.matcher(source);
      if (!mapping.find()) {
        continue;
      }
      String prefix = mapping.group(1);
      // Accessors by the interface that declares them, read by indentation.
      Map<String, List<String[]>> accessors = new LinkedHashMap<>();
      Map<Integer, String> interfaceAtIndent = new HashMap<>();
      String mapped = null;
      for (String line : source.substring(mapping.end()).split("\n")) {
        Matcher declared = INTERFACE.matcher(line);
        if (declared.find()) {
          interfaceAtIndent.put(declared.group(1).length(), declared.group(2));
          mapped = mapped == null ? declared.group(2) : mapped;
          continue;
        }
        Matcher accessor = METHOD.matcher(line);
        if (accessor.find()) {
          String owner = interfaceAtIndent.get(accessor.group(1).length() - 2);
          accessors
              .computeIfAbsent(owner, ignored -> new ArrayList<>())
              .add(new String[] {accessor.group(2), accessor.group(3)});
        }
      }
      Map<String, String> segmentOf = new HashMap<>();
      segmentOf.put(mapped, prefix);
      for (String[] accessor : accessors.getOrDefault(mapped, List.of())) {
        if (accessors.containsKey(accessor[0])) {
          segmentOf.put(accessor[0], prefix + "." + kebab(accessor[1]));
        }
      }
      accessors.forEach(
          (owner, declared) -> {
            for (String[] accessor : declared) {
              if (!accessors.containsKey(accessor[0])) {
                found.add(variable(segmentOf.get(owner) + "." + kebab(accessor[1])));
              }
            }
          });
    }
    return found;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * A configuration key as its environment variable: {@code ccc.jwt.key-dir} is CCC_JWT_KEY_DIR.
   */
  private static String variable(String key) {
    return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static Stream<String> matches(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    Stream.Builder<String> found = Stream.builder();
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found.build();
  }

  private static List<Path> javaFiles(String module) {
    Path sources = Repository.ROOT.resolve(module).resolve("src/main/java");
    try (Stream<Path> files = Files.walk(sources)) {
      return files.filter(file -> file.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
