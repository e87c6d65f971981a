package dev.ccc.pty;

import dev.ccc.bus.BusKey;
import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import dev.ccc.bus.ops.ServiceLogging;
import dev.ccc.pty.bus.PtyBusVerticle;
import dev.ccc.pty.sandbox.SandboxConfig;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.session.Sessions;
import dev.ccc.pty.terminal.TerminalRecord;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the pty-service: joins the cluster, serves terminals, workspaces and sessions on the bus,
 * and on SIGTERM stops every terminal's processes before leaving the cluster.
 */
public final class PtyServiceMain {
  private PtyServiceMain() {}

  private static final long STARTUP_MINUTES = 2;
  private static final long SHUTDOWN_SECONDS = 10;

  public static void main(String[] args) {
    ServiceLogging.install();
    Logger log = Logger.getLogger(PtyServiceMain.class.getName());
    Map<String, String> env = System.getenv();
    PtyConfig config = PtyConfig.fromEnvironment(env);
    ClusterConfig cluster = ClusterConfig.fromEnvironment(env::get);
    BusKey busKey;
    try {
      busKey = BusKey.load(BusKey.location(env::get));
    } catch (IllegalStateException e) {
      log.severe(e.getMessage());
      System.exit(1);
      return;
    }
    Sandboxes sandboxes;
    try {
      sandboxes =
          Sandboxes.forThisMachine(
              SandboxConfig.fromEnvironment(env),
              config.dataDir(),
              config.shell(),
              clusterHosts(cluster));
    } catch (IOException | RuntimeException e) {
      log.log(Level.SEVERE, "cannot start: " + e.getMessage(), e);
      System.exit(1);
      return;
    }
    TerminalRegistry registry = config.newRegistry(env);
    Workspaces workspaces = config.newWorkspaces(sandboxes);
    List<TerminalRecord> leftovers;
    try {
      int removed = workspaces.removeUnfinishedClones();
      if (removed > 0) {
        log.warning("removed " + removed + " clone(s) left unfinished by an earlier run");
      }
      leftovers = config.retention().leftovers();
      if (!leftovers.isEmpty()) {
        log.info(
            "found " + leftovers.size() + " terminal(s) of an earlier run; they come back cold");
      }
    } catch (IOException e) {
      log.log(Level.SEVERE, "cannot clean the workspaces up", e);
      System.exit(1);
      return;
    }
    Sessions sessions = config.newSessions(registry, workspaces, sandboxes);

    Vertx vertx;
    try {
      vertx = await(ClusteredBus.join(cluster));
    } catch (Exception e) {
      log.log(Level.SEVERE, "cannot join the cluster " + cluster.name(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> shutDown(vertx, registry, workspaces, sandboxes, log),
                "pty-service-shutdown"));
    try {
      // Deployment completes once the consumers are registered across the cluster.
      await(vertx.deployVerticle(new PtyBusVerticle(workspaces, sessions, busKey, leftovers)));
    } catch (Exception e) {
      log.log(Level.SEVERE, "cannot serve terminals on the bus", e);
      System.exit(1);
      return;
    }
    try {
      await(PtyManagement.start(vertx, env, registry, sandboxes.isolation()));
    } catch (Exception e) {
      log.log(Level.SEVERE, "cannot open the management port", e);
      System.exit(1);
      return;
    }
    log.info(
        "pty-service ready (cluster "
            + cluster.name()
            + ", data in "
            + config.dataDir()
            + ", isolation "
            + sandboxes.isolation().label()
            + ")");
  }

  /** The hosts of the cluster's members, which no sandbox may reach. */
  private static List<String> clusterHosts(ClusterConfig cluster) {
    List<String> hosts = new ArrayList<>();
    hosts.add(cluster.host());
    cluster.dns().ifPresent(hosts::add);
    for (String member : cluster.members()) {
      // host or host:port; an IPv6 literal keeps its colons.
      hosts.add(member.matches("[^:]+:[0-9]+") ? member.substring(0, member.indexOf(':')) : member);
    }
    return hosts;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(STARTUP_MINUTES, TimeUnit.MINUTES);
  }

  private static void shutDown(
      Vertx vertx,
      TerminalRegistry registry,
      Workspaces workspaces,
      Sandboxes sandboxes,
      Logger log) {
    log.info("pty-service stopping: closing every terminal");
    // Clones in progress fail and remove their half-written folders; sessions end with their
    // terminals, and what still runs in their sandboxes with the sandboxes.
    workspaces.stopClones();
    registry.closeAll();
    sandboxes.close();
    try {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.log(Level.WARNING, "leaving the cluster did not finish cleanly", e);
    }
  }
}
