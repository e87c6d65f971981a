package dev.ccc.bus;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.cp.SemaphoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Starts a Vert.x instance that is a member of the cluster. The cluster manager is set here in
 * code, never discovered through {@code ServiceLoader}, so the api-service can keep Quarkus from
 * seeing vertx-hazelcast's service file (see docs/architecture.md).
 */
public final class ClusteredBus {
  private ClusteredBus() {}

  public static Future<Vertx> join(ClusterConfig configured) {
    ClusterConfig cluster;
    try {
      cluster = byAddress(configured);
    } catch (UnknownHostException e) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "CCC_CLUSTER_HOST " + configured.host() + " does not resolve", e));
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(cluster));
    VertxOptions options =
        new VertxOptions()
            .setClusterManager(manager)
            .setAddressResolverOptions(peerNameResolution())
            .setEventBusOptions(
                new EventBusOptions()
                    .setHost(cluster.host())
                    .setPort(cluster.busPort())
                    .setClusterPublicHost(cluster.host()));
    return Vertx.clusteredVertx(options);
  }

  /**
   * The cluster host as the address it names, resolved once at start. Peers then reach this member
   * at the address it announces, with no lookup of their own: a name (a compose service) can
   * resolve to a restarted container's old address for a while, or not at all while the runtime's
   * DNS catches up, and the bus would call a peer that is gone.
   */
  static ClusterConfig byAddress(ClusterConfig cluster) throws UnknownHostException {
    return cluster.withHost(InetAddress.getByName(cluster.host()).getHostAddress());
  }

  /** Longest a peer's name stays resolved to the same address. */
  static final int PEER_ADDRESS_TTL_SECONDS = 5;

  /**
   * Peers are found by name (a compose service, a Kubernetes pod), and a restarted container comes
   * back at a new address: Vert.x's resolver would keep the old one for the DNS answer's TTL, a day
   * under some runtimes, and the bus would keep calling a peer that is gone.
   */
  static AddressResolverOptions peerNameResolution() {
    return new AddressResolverOptions()
        .setCacheMaxTimeToLive(PEER_ADDRESS_TTL_SECONDS)
        .setCacheNegativeTimeToLive(0);
  }

  static Config hazelcastConfig(ClusterConfig cluster) {
    Config config = new Config();
    config.setClassLoader(ClusteredBus.class.getClassLoader());
    // The structures vertx-hazelcast expects, as its default-cluster.xml declares them; built here
    // rather than loaded so no XML is looked up through a context class loader.
    config.addMultiMapConfig(
        new MultiMapConfig("__vertx.subs")
            .setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    config
        .getCPSubsystemConfig()
        .setCPMemberCount(0)
        .addSemaphoreConfig(
            new SemaphoreConfig("__vertx.*").setJDKCompatible(false).setInitialPermits(1));
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Leaving, a member hands its partitions over and waits until the others hold them: up to ten
    // minutes by default, and for ever in effect when they left first (a `down` stops them all),
    // which the container's stop timeout then ends with a kill. Cut short, the hand-over loses
    // nothing one member's leaving can: every entry has a backup on another member.
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "5");
    // A member whose container is gone does not refuse a connection, it never answers; until the
    // others give up on it (10 s by default) their operations wait for it, a stopping member's
    // last ones too. Peers on one network answer within milliseconds.
    config.setProperty("hazelcast.socket.connect.timeout.seconds", "3");
    // Hazelcast listens on every interface unless told otherwise (hazelcast.socket.bind.any); the
    // cluster has no authentication of its own, so it listens only where it announces itself.
    // hazelcast.local.localAddress is the address its address picker then binds to.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(cluster.portCount());
    network.setPublicAddress(cluster.host());
    network.getInterfaces().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.dns().isPresent()) {
      // Hazelcast's Kubernetes discovery in DNS mode only resolves a name: no API access needed.
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-dns", cluster.dns().get())
          .setProperty("service-port", String.valueOf(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return config;
  }
}
