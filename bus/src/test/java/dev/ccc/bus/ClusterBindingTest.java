package dev.ccc.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where a member listens, read from the kernel's tables of listening sockets ({@code
 * /proc/net/tcp}, {@code /proc/net/tcp6}) rather than from Hazelcast's or Vert.x' own account.
 */
class ClusterBindingTest {
  private static final String LISTEN = "0A";

  @Test
  void hazelcastAndTheEventBusListenOnlyOnTheClusterHost() throws Exception {
    Set<Long> before = listeningSocketsOfThisProcess().keySet();
    int hazelcastPort = freePort();
    ClusterConfig cluster =
        ClusterConfig.fromEnvironment(
            Map.of(
                    "CCC_CLUSTER_NAME",
                    "ccc-bind-test-" + UUID.randomUUID(),
                    "CCC_CLUSTER_HOST",
                    "127.0.0.1",
                    "CCC_CLUSTER_PORT",
                    String.valueOf(hazelcastPort),
                    "CCC_CLUSTER_PORT_COUNT",
                    "1")
                ::get);
    Vertx member = await(ClusteredBus.join(cluster));
    try {
      Map<Long, InetSocketAddress> opened = listeningSocketsOfThisProcess();
      opened.keySet().removeAll(before);
      Set<Integer> ports = new HashSet<>();
      for (InetSocketAddress address : opened.values()) {
        assertEquals(
            InetAddress.getByName("127.0.0.1"),
            address.getAddress(),
            "a socket of the member listens on " + address + ", not only on the cluster host");
        ports.add(address.getPort());
      }
      assertTrue(ports.contains(hazelcastPort), "Hazelcast listens: " + opened.values());
      assertTrue(ports.size() >= 2, "the event bus listens too: " + opened.values());
    } finally {
      await(member.close());
    }
  }

  /** The listening TCP sockets this JVM holds, by inode. */
  private static Map<Long, InetSocketAddress> listeningSocketsOfThisProcess() throws IOException {
    Set<Long> ours = new HashSet<>();
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      for (Path descriptor : descriptors.toList()) {
        try {
          String target = Files.readSymbolicLink(descriptor).toString();
          if (target.startsWith("socket:[")) {
            ours.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor of the listing itself, or one closed since
        }
      }
    }
    Map<Long, InetSocketAddress> listening = new HashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
        String[] columns = line.trim().split("\\s+");
        long inode = Long.parseLong(columns[9]);
        if (columns[3].equals(LISTEN) && ours.contains(inode)) {
          listening.put(inode, socketAddress(columns[1]));
        }
      }
    }
    return listening;
  }

  /**
   * {@code ADDRESS:PORT} as the kernel prints it: the address in hex, each 32-bit word in host
   * (little-endian) order, the port in hex. An IPv4-mapped IPv6 address comes back as IPv4.
   */
  private static InetSocketAddress socketAddress(String column) throws IOException {
    String[] parts = column.split(":");
    byte[] words = HexFormat.of().parseHex(parts[0]);
    byte[] address = new byte[words.length];
    for (int word = 0; word < words.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        address[word + i] = words[word + 3 - i];
      }
    }
    return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
