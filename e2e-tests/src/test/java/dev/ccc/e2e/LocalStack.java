package dev.ccc.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The three packaged services, started as separate JVMs that form a real Hazelcast cluster on
 * loopback, with ports and a cluster name of their own so they never meet another stack on the
 * machine. Tests register it with {@code @ExtendWith(LocalStack.class)}, which starts it once per
 * test run; other programs, like the benchmark, use {@link #startStandalone}.
 *
 * <p>The packaged jars are named by the system properties {@code ccc.pty-service.jar}, {@code
 * ccc.ws-gateway.jar} and {@code ccc.api-service.jar}; the services' logs go to {@code
 * ccc.e2e.logs} (default {@code target/e2e-logs}).
 */
public final class LocalStack
    implements BeforeAllCallback, ExtensionContext.Store.CloseableResource, AutoCloseable {
  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "e2e-" + UUID.randomUUID();

  /** The tests are short, so the services trade peak speed for a fast start. */
  private static final List<String> TEST_JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  /**
   * Limits per user low enough for a test to reach them quickly, high enough for every test's
   * shells and agents (Claude Code aborts with less memory).
   */
  static final int USER_MAX_PROCESSES = 128;

  static final int PROCESS_MAX_MEMORY_MB = 2048;

  /**
   * Output each terminal keeps for replay. A viewer sent back for falling behind attaches again
   * from what it has, and finds it here only if the terminal has not printed more than this since:
   * on a test machine where three JVMs, the flood and the client share two cores, a reader that
   * keeps up on average still stalls for a moment now and then, longer than the default 2 MiB
   * covers at full speed (SlowViewersTest).
   */
  static final int PTY_BUFFER_BYTES = 16 << 20;

  private static final Duration STARTUP = Duration.ofSeconds(120);

  /** Hazelcast ports, one per member and some to spare. */
  private static final int CLUSTER_PORTS = 10;

  private static LocalStack running;

  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Path logs = Path.of(System.getProperty("ccc.e2e.logs", "target/e2e-logs"));
  private final List<String> jvmOptions;
  private final Map<String, String> limits;
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, Map<String, String>> serviceEnv = new HashMap<>();
  private Path data;
  private Thread shutdownHook;
  final int apiPort = freePort();
  final int gatewayPort = freePort();
  final int ptyManagementPort = freePort();
  final int gatewayManagementPort = freePort();
  private int clusterPort;

  /** For JUnit's {@code @ExtendWith}. */
  public LocalStack() {
    this(
        TEST_JVM_OPTIONS,
        Map.of(
            "CCC_PTY_USER_MAX_PROCESSES", String.valueOf(USER_MAX_PROCESSES),
            "CCC_PTY_PROCESS_MAX_MEMORY_MB", String.valueOf(PROCESS_MAX_MEMORY_MB),
            "CCC_PTY_BUFFER_BYTES", String.valueOf(PTY_BUFFER_BYTES),
            // The test classes share the administrator, and not every one stops what it started.
            "CCC_SESSIONS_MAX_RUNNING_PER_USER", "50"));
  }

  private LocalStack(List<String> jvmOptions, Map<String, String> limits) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.limits = Map.copyOf(limits);
  }

  static LocalStack get() {
    return running;
  }

  /**
   * Starts a stack outside JUnit, each service with {@code jvmOptions} and the {@code CCC_*}
   * variables in {@code settings} (the services' defaults otherwise); close it to stop the
   * services. They are also stopped if this JVM exits first (Ctrl-C), since child processes would
   * otherwise outlive it.
   */
  public static LocalStack startStandalone(List<String> jvmOptions, Map<String, String> settings)
      throws Exception {
    LocalStack stack = new LocalStack(jvmOptions, settings);
    stack.shutdownHook = new Thread(stack::close, "local-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    stack.start();
    return stack;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (LocalStack.class) {
      if (running == null) {
        start();
        running = this;
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(LocalStack.class, this);
      }
    }
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  /** An origin the gateway accepts WebSockets from. */
  public String origin() {
    return apiUrl();
  }

  /** The gateway's Prometheus metrics. */
  public String gatewayMetricsUrl() {
    return "http://127.0.0.1:" + gatewayManagementPort + "/metrics";
  }

  public String gatewayUrl() {
    return "ws://127.0.0.1:" + gatewayPort + "/ws";
  }

  /**
   * The pty-service's data: users' homes under {@code homes/}, workspaces under {@code
   * workspaces/}.
   */
  public Path ptyData() {
    return data.resolve("pty-service");
  }

  /** The api-service's data: its keys and its database. */
  public Path apiData() {
    return data.resolve("api-service");
  }

  /** Whether {@code port} is one of the cluster's Hazelcast ports, not an event-bus port. */
  public boolean isHazelcastPort(int port) {
    return port >= clusterPort && port < clusterPort + CLUSTER_PORTS;
  }

  /** The settings by which a process joins the services' cluster, as {@code CCC_*} variables. */
  public Map<String, String> clusterSettings() {
    Map<String, String> cluster = new HashMap<>();
    for (String name : List.of("CCC_CLUSTER_NAME", "CCC_CLUSTER_PORT", "CCC_CLUSTER_PORT_COUNT")) {
      cluster.put(name, env.get(name));
    }
    return cluster;
  }

  /** The process id of each service, by name: pty-service, api-service, ws-gateway. */
  public Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    processes.forEach((name, process) -> pids.put(name, process.pid()));
    return pids;
  }

  /** Starts the services and waits until all are ready; on failure, stops what it started. */
  private void start() throws Exception {
    try {
      launchAndAwaitReady();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void launchAndAwaitReady() throws Exception {
    Files.createDirectories(logs);
    // Each service keeps its data in a folder of its own, as on one machine: users' processes
    // must never reach the api-service's.
    data = Files.createTempDirectory("ccc-e2e");
    // Users' sandboxes pass through it to their folders in the pty-service's data.
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
    clusterPort = freePortRange(CLUSTER_PORTS);
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", System.getProperty("user.home"));
    env.put("LANG", "C.UTF-8");
    env.put("CCC_CLUSTER_NAME", "ccc-e2e-" + UUID.randomUUID());
    env.put("CCC_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("CCC_CLUSTER_PORT_COUNT", String.valueOf(CLUSTER_PORTS));
    env.put("CCC_API_PORT", String.valueOf(apiPort));
    env.put("CCC_GATEWAY_PORT", String.valueOf(gatewayPort));
    env.put("CCC_API_MANAGEMENT_PORT", String.valueOf(freePort()));
    env.put("CCC_GATEWAY_MANAGEMENT_PORT", String.valueOf(gatewayManagementPort));
    env.put("CCC_PTY_MANAGEMENT_PORT", String.valueOf(ptyManagementPort));
    env.put("CCC_GATEWAY_ALLOWED_ORIGINS", origin() + ",http://localhost:" + apiPort);
    env.put("CCC_GATEWAY_PUBLIC_URL", "ws://{hostname}:" + gatewayPort + "/ws");
    env.put("CCC_ADMIN_USERNAME", ADMIN);
    env.put("CCC_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.putAll(limits);
    // One key for the three, beside their data folders rather than in one of them.
    env.put("CCC_BUS_KEY_FILE", data.resolve("bus").resolve("bus.key").toString());
    serviceEnv.put(
        "pty-service",
        Map.of(
            "CCC_DATA_DIR",
            ptyData().toString(),
            // Users' npm, git and agents behind this machine's TLS-intercepting proxy, if any.
            "NODE_EXTRA_CA_CERTS",
            "/etc/ssl/certs/ca-certificates.crt",
            "CCC_PTY_ENV_PASSTHROUGH",
            "NODE_EXTRA_CA_CERTS"));
    serviceEnv.put("api-service", Map.of("CCC_DATA_DIR", apiData().toString()));
    serviceEnv.put("ws-gateway", Map.of());

    launch("pty-service", Redirect.to(log("pty-service")));
    launch("api-service", Redirect.to(log("api-service")));
    launch("ws-gateway", Redirect.to(log("ws-gateway")));

    long deadline = System.nanoTime() + STARTUP.toNanos();
    awaitLogLine("pty-service", "pty-service ready", deadline);
    awaitReady("api-service", deadline);
    awaitReady("ws-gateway", deadline);
  }

  /**
   * Stops a service as an orchestrator would (SIGTERM), starts it again with the same settings and
   * data, and waits until it is ready.
   */
  public void restart(String name) throws Exception {
    Process process = processes.get(name);
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not stop on SIGTERM");
    }
    long logged = Files.size(log(name).toPath());
    launch(name, Redirect.appendTo(log(name)));
    long deadline = System.nanoTime() + STARTUP.toNanos();
    if (name.equals("pty-service")) {
      awaitLogLine(name, "pty-service ready", deadline, logged);
    } else {
      awaitReady(name, deadline);
    }
  }

  private void awaitReady(String name, long deadline) throws Exception {
    switch (name) {
      case "api-service" -> awaitHealthy(apiUrl() + "/q/health/ready", deadline);
      case "ws-gateway" ->
          awaitHealthy("http://127.0.0.1:" + gatewayPort + "/health/ready", deadline);
      default -> throw new IllegalArgumentException("no readiness check for " + name);
    }
  }

  private File log(String name) {
    return logs.resolve(name + ".log").toFile();
  }

  private void launch(String name, Redirect log) throws IOException {
    String jar = System.getProperty("ccc." + name + ".jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("no packaged " + name + " at " + jar + "; run mvn verify");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.environment().putAll(serviceEnv.get(name));
    processes.put(name, builder.start());
  }

  private void awaitLogLine(String name, String line, long deadline) throws Exception {
    awaitLogLine(name, line, deadline, 0);
  }

  /** Waits for {@code line} in the service's log after its first {@code from} bytes. */
  private void awaitLogLine(String name, String line, long deadline, long from) throws Exception {
    Path log = logs.resolve(name + ".log");
    while (!logSince(log, from).contains(line)) {
      checkAlive(deadline, name);
      Thread.sleep(200);
    }
  }

  /** The log's text after its first {@code from} bytes. */
  private static String logSince(Path log, long from) throws IOException {
    byte[] bytes = Files.readAllBytes(log);
    int start = (int) Math.min(from, bytes.length);
    return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
  }

  private void awaitHealthy(String url, long deadline) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    while (true) {
      try {
        int status =
            http.send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep waiting
      }
      checkAlive(deadline, url);
      Thread.sleep(200);
    }
  }

  private void checkAlive(long deadline, String waitingFor) {
    for (Process process : processes.values()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "a service exited while waiting for " + waitingFor + "; see " + logs.toAbsolutePath());
      }
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "timed out waiting for " + waitingFor + "; see " + logs.toAbsolutePath());
    }
  }

  /** Stops the services; safe to call more than once. */
  @Override
  public void close() {
    processes.values().forEach(Process::destroy);
    for (Process process : processes.values()) {
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    removeShutdownHook();
  }

  private void removeShutdownHook() {
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or about to; it finds the processes gone
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first of {@code count} consecutive free ports. */
  private static int freePortRange(int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = freePort();
      if (first + count < 65535 && allFree(first, count)) {
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports");
  }

  private static boolean allFree(int first, int count) {
    for (int port = first; port < first + count; port++) {
      try (ServerSocket ignored = new ServerSocket(port)) {
        // free
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
