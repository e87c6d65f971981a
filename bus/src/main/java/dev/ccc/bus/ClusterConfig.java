package dev.ccc.bus;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a service joins the clustered event bus. Every service reads the same environment variables,
 * so one set of values describes one cluster.
 *
 * @param name Hazelcast cluster name; members with another name never join ({@code
 *     CCC_CLUSTER_NAME}, default {@code ccc}).
 * @param members Hazelcast members to contact, {@code host} or {@code host:port}, comma-separated
 *     ({@code CCC_CLUSTER_MEMBERS}, default {@code 127.0.0.1}); ignored when {@code dns} is set.
 * @param dns a DNS name whose address records are the members, such as a Kubernetes headless
 *     Service; looked up again at every discovery round, so members that start later are found
 *     ({@code CCC_CLUSTER_DNS}, default none: {@code members} is used).
 * @param host address this member binds Hazelcast and the bus to, and announces to the others
 *     ({@code CCC_CLUSTER_HOST}, default {@code 127.0.0.1}).
 * @param port first Hazelcast port; the next {@code portCount - 1} are tried when it is taken
 *     ({@code CCC_CLUSTER_PORT}, default {@code 5701}).
 * @param portCount how many Hazelcast ports from {@code port} a member may use, and are probed on
 *     each member address ({@code CCC_CLUSTER_PORT_COUNT}, default {@code 20}).
 * @param busPort TCP port of the event bus itself; 0 picks a free one ({@code CCC_BUS_PORT}).
 */
public record ClusterConfig(
    String name,
    List<String> members,
    Optional<String> dns,
    String host,
    int port,
    int portCount,
    int busPort) {

  /**
   * Reads the settings through {@code lookup}, which maps a variable name to its value or null:
   * {@code System::getenv} in the Vert.x services, MicroProfile Config in the api-service.
   */
  public static ClusterConfig fromEnvironment(Function<String, String> lookup) {
    return new ClusterConfig(
        Settings.read(lookup, "CCC_CLUSTER_NAME", "ccc"),
        Arrays.stream(Settings.read(lookup, "CCC_CLUSTER_MEMBERS", "127.0.0.1").split(","))
            .map(String::trim)
            .filter(member -> !member.isEmpty())
            .toList(),
        Optional.ofNullable(Settings.read(lookup, "CCC_CLUSTER_DNS", null)),
        Settings.read(lookup, "CCC_CLUSTER_HOST", "127.0.0.1"),
        Integer.parseInt(Settings.read(lookup, "CCC_CLUSTER_PORT", "5701")),
        Integer.parseInt(Settings.read(lookup, "CCC_CLUSTER_PORT_COUNT", "20")),
        Integer.parseInt(Settings.read(lookup, "CCC_BUS_PORT", "0")));
  }

  /** The same settings with another {@code host}. */
  public ClusterConfig withHost(String other) {
    return new ClusterConfig(name, members, dns, other, port, portCount, busPort);
  }

  public ClusterConfig {
    if (members.isEmpty() && dns.isEmpty()) {
      throw new IllegalArgumentException("CCC_CLUSTER_MEMBERS must name at least one member");
    }
    if (portCount < 1) {
      throw new IllegalArgumentException("CCC_CLUSTER_PORT_COUNT must be at least 1");
    }
  }
}
