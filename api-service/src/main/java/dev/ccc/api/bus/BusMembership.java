package dev.ccc.api.bus;

import dev.ccc.api.auth.SigningKeys;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The api-service's seat on the clustered event bus: its own clustered Vert.x instance, separate
 * from Quarkus' (Quarkus' clustered mode is broken in 3.33 and gone in 4). Everything that talks to
 * the other services goes through {@link #eventBus()}. Delete this indirection only if Quarkus
 * regains a working clustered Vert.x (see docs/architecture.md).
 */
@ApplicationScoped
public class BusMembership {
  private static final Logger LOG = Logger.getLogger(BusMembership.class.getName());
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

  private final Config config;
  private final SigningKeys keys;
  private volatile Vertx vertx;

  BusMembership(Config config, SigningKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  void join(@Observes StartupEvent event) throws Exception {
    ClusterConfig cluster =
        ClusterConfig.fromEnvironment(
            name -> config.getOptionalValue(name, String.class).orElse(null));
    Vertx joined =
        ClusteredBus.join(cluster)
            .toCompletionStage()
            .toCompletableFuture()
            .get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    Promise<Void> registered = Promise.promise();
    joined
        .eventBus()
        .consumer(BusContract.AUTH_PUBLIC_KEY, message -> message.reply(keys.publicKeyPem()))
        .completionHandler(registered);
    registered
        .future()
        .toCompletionStage()
        .toCompletableFuture()
        .get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    vertx = joined;
    LOG.info("api-service joined the event bus as cluster '" + cluster.name() + "'");
  }

  void leave(@Observes ShutdownEvent event) throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  public EventBus eventBus() {
    if (vertx == null) {
      throw new IllegalStateException("not on the event bus yet");
    }
    return vertx.eventBus();
  }

  public boolean joined() {
    return vertx != null;
  }
}
