package dev.ccc.gateway;

import dev.ccc.bus.BusKey;
import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import dev.ccc.bus.ops.ManagementAddress;
import dev.ccc.bus.ops.ManagementServer;
import dev.ccc.bus.ops.ServiceLogging;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts the ws-gateway: joins the bus, then serves WebSockets until the JVM is told to stop. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    ServiceLogging.install();
    Logger log = Logger.getLogger(GatewayMain.class.getName());
    GatewayConfig config = GatewayConfig.fromEnvironment(System.getenv());
    BusKey busKey;
    try {
      busKey = BusKey.load(BusKey.location(System::getenv));
    } catch (IllegalStateException e) {
      log.severe(e.getMessage());
      System.exit(1);
      return;
    }
    // The management port listens where the WebSocket does, on a port of its own.
    ManagementAddress management =
        ManagementAddress.fromEnvironment(
            System.getenv(), "CCC_GATEWAY_HOST", "CCC_GATEWAY_MANAGEMENT_PORT", 9001);
    GatewayVerticle gateway = new GatewayVerticle(config, busKey);
    ClusteredBus.join(ClusterConfig.fromEnvironment(System::getenv))
        .compose(
            vertx -> {
              Runtime.getRuntime()
                  .addShutdownHook(
                      new Thread(
                          () -> {
                            log.info("ws-gateway stopping: closing every socket");
                            vertx.close().toCompletionStage().toCompletableFuture().join();
                          },
                          "ws-gateway-shutdown"));
              // Before the verticle starts, so that its first request on the bus is timed too.
              PrometheusMeterRegistry metrics = GatewayMetrics.start(vertx);
              return vertx
                  .deployVerticle(gateway)
                  .compose(
                      deployed ->
                          ManagementServer.start(vertx, management, metrics, gateway::ready));
            })
        .onFailure(
            e -> {
              log.log(Level.SEVERE, "ws-gateway failed to start", e);
              System.exit(1);
            });
  }
}
