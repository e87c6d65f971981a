package dev.ccc.gateway;

import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts the ws-gateway: joins the bus, then serves WebSockets until the JVM is told to stop. */
public final class GatewayMain {
  private static final Logger LOG = Logger.getLogger(GatewayMain.class.getName());

  private GatewayMain() {}

  public static void main(String[] args) {
    GatewayConfig config = GatewayConfig.fromEnvironment(System.getenv());
    ClusteredBus.join(ClusterConfig.fromEnvironment(System::getenv))
        .compose(
            vertx -> {
              Runtime.getRuntime()
                  .addShutdownHook(
                      new Thread(
                          () -> vertx.close().toCompletionStage().toCompletableFuture().join()));
              return vertx.deployVerticle(new GatewayVerticle(config));
            })
        .onFailure(
            e -> {
              LOG.log(Level.SEVERE, "ws-gateway failed to start", e);
              System.exit(1);
            });
  }
}
