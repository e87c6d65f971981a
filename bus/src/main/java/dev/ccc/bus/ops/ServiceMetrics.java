package dev.ccc.bus.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * The metrics of a plain Vert.x service (the api-service has Quarkus' own): one Prometheus registry
 * with the JVM's meters, the cluster's size and the bus round-trip time ({@link BusRoundTrip}).
 *
 * <p>The registry is also added to Micrometer's global registry, so that code deep in a service
 * counts through {@link Metrics#globalRegistry} instead of having a registry handed through every
 * constructor; meters made there before this call are kept and reported too.
 */
public final class ServiceMetrics {
  private ServiceMetrics() {}

  /** Starts collecting for the service running on {@code vertx}, a member of the cluster. */
  public static PrometheusMeterRegistry start(Vertx vertx) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    // Holds a GC notification listener for the life of the JVM, as the registry does.
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    ClusterManager cluster = ManagementServer.clusterManager(vertx);
    Gauge.builder("ccc.cluster.members", cluster, manager -> manager.getNodes().size())
        .description("Members of the event-bus cluster this service sees, itself included")
        .register(registry);
    BusRoundTrip.install(vertx.eventBus(), registry);
    Metrics.addRegistry(registry);
    return registry;
  }
}
