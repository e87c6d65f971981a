package dev.ccc.bus.ops;

import java.util.logging.LogManager;

/**
 * java.util.logging as the plain Vert.x services use it: one line per record, and still working
 * while the JVM's shutdown hooks run, so that a service's account of its own shutdown is written.
 */
public final class ServiceLogging {
  static final String ONE_LINE_FORMAT = "%1$tF %1$tT %4$s [%3$s] %5$s%6$s%n";

  private static final String MANAGER_PROPERTY = "java.util.logging.manager";
  private static final String FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

  private ServiceLogging() {}

  /**
   * Call first in {@code main}, before anything logs: java.util.logging reads both settings once,
   * when it starts. A setting given on the command line wins.
   */
  public static void install() {
    if (System.getProperty(MANAGER_PROPERTY) == null) {
      System.setProperty(MANAGER_PROPERTY, LastingLogManager.class.getName());
    }
    if (System.getProperty(FORMAT_PROPERTY) == null) {
      System.setProperty(FORMAT_PROPERTY, ONE_LINE_FORMAT);
    }
  }

  /**
   * The JDK's own manager removes every handler from a shutdown hook of its own, which runs at the
   * same time as the services' hooks, so whatever they log while stopping is lost or not, at
   * random. This one keeps its handlers to the end; the console handler flushes every record, so
   * nothing is left unwritten at exit. The services never reconfigure logging while they run.
   */
  public static final class LastingLogManager extends LogManager {
    @Override
    public void reset() {}
  }
}
