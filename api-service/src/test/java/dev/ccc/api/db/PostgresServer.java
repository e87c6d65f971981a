package dev.ccc.api.db;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster in a temporary folder on a free loopback port, from the server
 * binaries installed on this machine, with a database and a password-protected role for the
 * api-service. initdb refuses to run as root, so as root the server runs as the {@code postgres}
 * user.
 */
public class PostgresServer implements QuarkusTestResourceLifecycleManager {
  private static final Path BIN =
      Path.of(System.getenv().getOrDefault("CCC_TEST_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"));
  private static final String SERVER_USER = "postgres";
  private static final String DATABASE = "ccc";
  private static final String ROLE = "ccc";

  private Path dir;

  /**
   * Whether the tests that need it can run: the binaries are here, or this is CI, where their
   * absence must fail the build rather than skip the tests.
   */
  public static boolean available() {
    return Files.isExecutable(BIN.resolve("pg_ctl")) || "true".equals(System.getenv("CI"));
  }

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("ccc-postgres");
      giveToServerUser(dir);
      String superuserPassword = UUID.randomUUID().toString();
      Path passwordFile = Files.writeString(dir.resolve("superuser-password"), superuserPassword);
      giveToServerUser(passwordFile);
      Path data = dir.resolve("data");
      run(
          "initdb",
          "-D",
          data.toString(),
          "-U",
          SERVER_USER,
          "--auth=scram-sha-256",
          "--pwfile=" + passwordFile,
          "--encoding=UTF8",
          "--no-sync");
      int port = freePort();
      run(
          "pg_ctl",
          "start",
          "-w",
          "-D",
          data.toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-o",
          "-k " + dir + " -p " + port + " -c listen_addresses=127.0.0.1 -c fsync=off");
      String password = UUID.randomUUID().toString();
      try (Connection superuser =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                  SERVER_USER,
                  superuserPassword);
          Statement statement = superuser.createStatement()) {
        statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
      }
      return Map.of(
          "ccc.database.url", "postgresql://127.0.0.1:" + port + "/" + DATABASE,
          "ccc.database.username", ROLE,
          "ccc.database.password", password);
    } catch (IOException | SQLException | RuntimeException e) {
      stop();
      throw new IllegalStateException("cannot start a PostgreSQL server from " + BIN, e);
    }
  }

  @Override
  public void stop() {
    if (dir == null) {
      return;
    }
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        run("pg_ctl", "stop", "-w", "-m", "fast", "-D", dir.resolve("data").toString());
      }
    } finally {
      deleteRecursively(dir);
      dir = null;
    }
  }

  private static void giveToServerUser(Path path) throws IOException {
    if (asRoot()) {
      UserPrincipal owner =
          path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_USER);
      Files.setOwner(path, owner);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void run(String program, String... arguments) {
    List<String> command = new ArrayList<>();
    if (asRoot()) {
      command.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
    }
    command.add(BIN.resolve(program).toString());
    command.addAll(List.of(arguments));
    try {
      Path output = Files.createTempFile("ccc-postgres-" + program, ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(program + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              program + " failed (" + process.exitValue() + "):\n" + Files.readString(output));
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + program, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
