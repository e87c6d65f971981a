package dev.ccc.bus.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Logging in a JVM of its own, started the way the services' mains start. */
class ServiceLoggingTest {
  private static final String STOPPING = "stopping: closing everything";

  @Test
  void aShutdownHookStillLogsAfterTheJdksOwnHookRan() throws Exception {
    List<String> lines = runServiceThatStops();

    assertTrue(
        lines.stream()
            .anyMatch(line -> line.endsWith("INFO [" + Stopper.class.getName() + "] " + STOPPING)),
        "the record logged while stopping, on one line: " + lines);
  }

  @Test
  void everyRecordIsOneLine() throws Exception {
    List<String> lines = runServiceThatStops();

    assertEquals(2, lines.size(), "one line per record: " + lines);
    assertTrue(
        lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO \\[.+] started"));
  }

  private static List<String> runServiceThatStops() throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Stopper.class.getName())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the JVM exits");
    assertEquals(0, process.exitValue());
    return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
        .lines()
        .toList();
  }

  /**
   * A service that logs from its shutdown hook, late enough that the JDK's own hook has surely run
   * by then.
   */
  public static final class Stopper {
    public static void main(String[] args) {
      ServiceLogging.install();
      Logger log = Logger.getLogger(Stopper.class.getName());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Thread.sleep(300);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    log.info(STOPPING);
                  }));
      log.info("started");
    }
  }
}
