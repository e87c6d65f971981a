package dev.ccc.bus.ops;

import dev.ccc.bus.Settings;
import java.util.Map;

/**
 * Where a service's management port listens, from two environment variables: the host (default
 * {@code 127.0.0.1}; {@code 0.0.0.0} in containers) and the port (0 picks a free one).
 */
public record ManagementAddress(String host, int port) {

  public ManagementAddress {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a port number: " + port);
    }
  }

  /** Reads {@code hostVariable} and {@code portVariable}; unset or blank ones take the defaults. */
  public static ManagementAddress fromEnvironment(
      Map<String, String> env, String hostVariable, String portVariable, int defaultPort) {
    String port = Settings.read(env::get, portVariable, String.valueOf(defaultPort));
    try {
      return new ManagementAddress(
          Settings.read(env::get, hostVariable, "127.0.0.1"), Integer.parseInt(port));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(portVariable + " must be a port number, not " + port, e);
    }
  }
}
