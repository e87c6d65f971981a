package dev.ccc.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClusterDiscoveryTest {

  @Test
  void aPeerThatComesBackAtAnotherAddressIsFoundWithinSeconds() {
    // A restarted container's new address: never cached longer than a few seconds, and a failed
    // lookup not at all.
    assertTrue(ClusteredBus.peerNameResolution().getCacheMaxTimeToLive() <= 5);
    assertEquals(0, ClusteredBus.peerNameResolution().getCacheNegativeTimeToLive());
  }

  @Test
  void aMemberAnnouncesTheAddressItsHostNameResolvesTo() throws Exception {
    ClusterConfig named =
        ClusterConfig.fromEnvironment(Map.of("CCC_CLUSTER_HOST", "localhost")::get);
    ClusterConfig announced = ClusteredBus.byAddress(named);
    assertEquals(InetAddress.getByName("localhost").getHostAddress(), announced.host());
    assertEquals(named.withHost(announced.host()), announced);
    assertEquals(
        announced.host(),
        ClusteredBus.hazelcastConfig(announced).getNetworkConfig().getPublicAddress());
  }

  @Test
  void membersComeFromTheListUnlessADnsNameIsGiven() {
    ClusterConfig listed =
        ClusterConfig.fromEnvironment(Map.of("CCC_CLUSTER_MEMBERS", "api, pty:5701")::get);
    assertEquals(List.of("api", "pty:5701"), listed.members());
    assertEquals(Optional.empty(), listed.dns());
    JoinConfig byList = ClusteredBus.hazelcastConfig(listed).getNetworkConfig().getJoin();
    assertTrue(byList.getTcpIpConfig().isEnabled());
    assertFalse(byList.getKubernetesConfig().isEnabled());

    ClusterConfig looked =
        ClusterConfig.fromEnvironment(
            Map.of(
                    "CCC_CLUSTER_DNS",
                    "ccc-cluster.ccc.svc.cluster.local",
                    "CCC_CLUSTER_PORT",
                    "5801")
                ::get);
    JoinConfig byDns = ClusteredBus.hazelcastConfig(looked).getNetworkConfig().getJoin();
    assertFalse(byDns.getTcpIpConfig().isEnabled());
    assertTrue(byDns.getKubernetesConfig().isEnabled());
    assertEquals(
        "ccc-cluster.ccc.svc.cluster.local",
        byDns.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5801", byDns.getKubernetesConfig().getProperty("service-port"));
  }

  @Test
  void anEmptyMemberListIsRefusedOnlyWithoutADnsName() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ClusterConfig.fromEnvironment(Map.of("CCC_CLUSTER_MEMBERS", " , ")::get));
    ClusterConfig byDns =
        ClusterConfig.fromEnvironment(
            Map.of("CCC_CLUSTER_MEMBERS", " , ", "CCC_CLUSTER_DNS", "members.example")::get);
    assertEquals(Optional.of("members.example"), byDns.dns());
  }

  @Test
  void twoMembersFindEachOtherThroughADnsName() throws Exception {
    int port = freePortPair();
    // "localhost" stands in for a headless Service: a name that resolves to the members.
    Map<String, String> env =
        Map.of(
            "CCC_CLUSTER_NAME",
            "ccc-dns-test-" + UUID.randomUUID(),
            "CCC_CLUSTER_DNS",
            "localhost",
            "CCC_CLUSTER_PORT",
            String.valueOf(port),
            "CCC_CLUSTER_PORT_COUNT",
            "2");
    ClusterConfig cluster = ClusterConfig.fromEnvironment(env::get);
    Vertx first = await(ClusteredBus.join(cluster));
    Vertx second = null;
    try {
      second = await(ClusteredBus.join(cluster));
      Promise<Void> registered = Promise.promise();
      first
          .eventBus()
          .consumer("ccc.test.echo", message -> message.reply(message.body()))
          .completionHandler(registered);
      // Completes once the registration is in the cluster's shared map, where the other member
      // looks.
      await(registered.future());
      String reply =
          await(second.eventBus().<String>request("ccc.test.echo", "hello").map(m -> m.body()));
      assertEquals("hello", reply);
    } finally {
      if (second != null) {
        await(second.close());
      }
      await(first.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first;
      try (ServerSocket socket = new ServerSocket(0)) {
        first = socket.getLocalPort();
      }
      try (ServerSocket a = new ServerSocket(first);
          ServerSocket b = new ServerSocket(first + 1)) {
        return first;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no two consecutive free ports");
  }
}
