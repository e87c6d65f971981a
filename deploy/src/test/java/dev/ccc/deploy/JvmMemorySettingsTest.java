package dev.ccc.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The services' memory settings are defined once, as {@code ccc.jvm.memory} in the parent pom
 * (which the images and the bench take from it), and spelled out in run-local.sh, which cannot read
 * the pom: the two say the same.
 */
class JvmMemorySettingsTest {
  @Test
  void runLocalGivesTheServicesThePomsMemorySettings() {
    Matcher property =
        Pattern.compile("<ccc\\.jvm\\.memory>([^<]+)</ccc\\.jvm\\.memory>")
            .matcher(Repository.read("pom.xml"));
    assertTrue(property.find(), "pom.xml defines ccc.jvm.memory");
    List<String> settings = words(property.group(1));

    Matcher options =
        Pattern.compile("(?m)^java_opts=\\(([^)]*)\\)").matcher(Repository.read("run-local.sh"));
    assertTrue(options.find(), "run-local.sh defines java_opts");
    List<String> given = words(options.group(1));

    assertTrue(given.stream().anyMatch(option -> option.startsWith("-Xmx")), "a heap maximum");
    assertEquals(settings, given.stream().filter(option -> !option.startsWith("-Xmx")).toList());
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+")).toList();
  }
}
