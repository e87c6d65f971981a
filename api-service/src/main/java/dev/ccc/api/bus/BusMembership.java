package dev.ccc.api.bus;

import dev.ccc.api.auth.SigningKeys;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.PublicKey;
import dev.ccc.bus.BusKey;
import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The api-service's seat on the clustered event bus: its own clustered Vert.x instance, separate
 * from Quarkus' (Quarkus' clustered mode is broken in 3.33 and gone in 4). Everything that talks to
 * the other services goes through {@link #eventBus()}. Delete this indirection only if Quarkus
 * regains a working clustered Vert.x (see docs/architecture.md).
 *
 * <p>Beans that serve bus addresses observe {@link Joined} and register through {@link #serve}.
 */
@ApplicationScoped
public class BusMembership {
  private static final Logger LOG = Logger.getLogger(BusMembership.class.getName());
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

  /** Fired once the api-service is on the bus, before it reports ready. */
  public record Joined(BusMembership bus) {}

  private final Config config;
  private final SigningKeys keys;
  private final Event<Joined> joinedEvent;
  private final Context quarkusContext;
  private volatile BusKey key;
  private volatile Vertx vertx;

  BusMembership(Config config, SigningKeys keys, Event<Joined> joinedEvent, Vertx quarkusVertx) {
    this.config = config;
    this.keys = keys;
    this.joinedEvent = joinedEvent;
    this.quarkusContext = quarkusVertx.getOrCreateContext();
  }

  void join(@Observes StartupEvent event) throws Exception {
    Function<String, String> settings =
        name -> config.getOptionalValue(name, String.class).orElse(null);
    key = BusKey.load(BusKey.location(settings));
    ClusterConfig cluster = ClusterConfig.fromEnvironment(settings);
    Vertx joined =
        ClusteredBus.join(cluster)
            .toCompletionStage()
            .toCompletableFuture()
            .get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    Promise<Void> registered = Promise.promise();
    joined
        .eventBus()
        .consumer(
            BusContract.AUTH_PUBLIC_KEY,
            message -> message.reply(new PublicKey(keys.publicKeyPem()).toJson(key)))
        .completionHandler(registered);
    registered
        .future()
        .toCompletionStage()
        .toCompletableFuture()
        .get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    vertx = joined;
    joinedEvent.fire(new Joined(this));
    LOG.info("api-service joined the event bus as cluster '" + cluster.name() + "'");
  }

  void leave(@Observes ShutdownEvent event) throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Serves {@code address} on the cluster bus. The handler runs on Quarkus' own Vert.x, in a fresh
   * duplicated context per message as an HTTP request would, because Hibernate Reactive works only
   * on the Vert.x it was started on and keeps its session in the context. Completes once the whole
   * cluster knows the handler.
   */
  public Future<Void> serve(String address, Handler<Message<Object>> handler) {
    Promise<Void> registered = Promise.promise();
    eventBus()
        .consumer(address, message -> onQuarkusVertx(() -> handler.handle(message)))
        .completionHandler(registered);
    return registered.future();
  }

  /**
   * Runs {@code work} on Quarkus' Vert.x in a fresh duplicated context, outside any request: where
   * Hibernate Reactive can be used for what a bus message or event sets off.
   */
  public void onQuarkusVertx(Runnable work) {
    VertxContext.createNewDuplicatedContext(quarkusContext).runOnContext(ignored -> work.run());
  }

  /**
   * The installation's bus key, read at startup, under which every message this api-service sends
   * for a user carries a proof.
   */
  public BusKey key() {
    if (key == null) {
      throw new IllegalStateException("not on the event bus yet");
    }
    return key;
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
