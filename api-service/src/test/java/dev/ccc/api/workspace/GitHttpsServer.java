package dev.ccc.api.workspace;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Serves the git repositories under a folder over real HTTPS, through {@code git http-backend} (the
 * "smart" protocol, which shallow clones need), with a self-signed certificate for 127.0.0.1 made
 * by the JDK's keytool. A client trusts it through {@link #certificate()}: for the pty-service's
 * git, the line {@code sslCAInfo} in the {@code .gitconfig} of the user's home.
 */
final class GitHttpsServer implements AutoCloseable {
  private static final String PASSWORD = "changeit";

  private final Path repositories;
  private final Path certificate;
  private final HttpsServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  private GitHttpsServer(Path repositories, Path certificate, HttpsServer server) {
    this.repositories = repositories;
    this.certificate = certificate;
    this.server = server;
  }

  /** Serves the bare repositories in {@code repositories}; keeps its key in {@code work}. */
  static GitHttpsServer start(Path repositories, Path work) throws Exception {
    Files.createDirectories(work);
    Path keyStore = work.resolve("server.p12");
    Path certificate = work.resolve("server.pem");
    Files.deleteIfExists(keyStore);
    keytool(
        "-genkeypair",
        "-alias",
        "git",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "git",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        certificate.toString());

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);

    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    GitHttpsServer git = new GitHttpsServer(repositories, certificate, server);
    server.setExecutor(git.threads);
    server.createContext("/", git::serve);
    server.start();
    return git;
  }

  /** The URL of the repository in {@code name} (e.g. {@code demo.git}). */
  String url(String name) {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  /** The server's certificate (PEM), which a client trusts as its own CA. */
  Path certificate() {
    return certificate;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /**
   * Makes the bare repository {@code name} to serve: {@code main} with {@code README.md}, and
   * {@code feature} with {@code feature.txt} besides.
   */
  void createRepository(String name) throws Exception {
    Path work = Files.createDirectories(repositories.resolveSibling(name + "-work"));
    git(work, "init", "--quiet", "--initial-branch=main");
    Files.writeString(work.resolve("README.md"), "# demo\n");
    git(work, "add", "README.md");
    git(work, "commit", "--quiet", "-m", "first");
    git(work, "checkout", "--quiet", "-b", "feature");
    Files.writeString(work.resolve("feature.txt"), "feature\n");
    git(work, "add", "feature.txt");
    git(work, "commit", "--quiet", "-m", "feature");
    Files.createDirectories(repositories);
    git(repositories, "clone", "--quiet", "--bare", work.toString(), name);
  }

  /** Runs git in {@code directory} with a fixed identity and no user or system configuration. */
  private static void git(Path directory, String... arguments) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=t@example.com"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().put("HOME", directory.toString());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    run(builder, "git " + arguments[0]);
  }

  /** One request, answered by a {@code git http-backend} CGI process. */
  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      ProcessBuilder cgi =
          new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
      Map<String, String> env = cgi.environment();
      env.put("GIT_PROJECT_ROOT", repositories.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("PATH_INFO", exchange.getRequestURI().getPath());
      env.put("QUERY_STRING", String.valueOf(exchange.getRequestURI().getRawQuery()));
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("REMOTE_ADDR", "127.0.0.1");
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (type != null) {
        env.put("CONTENT_TYPE", type);
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null) {
        env.put("HTTP_CONTENT_ENCODING", encoding);
      }
      String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
      if (protocol != null) {
        env.put("GIT_PROTOCOL", protocol);
      }
      Process backend = cgi.start();
      try (OutputStream in = backend.getOutputStream()) {
        exchange.getRequestBody().transferTo(in);
      }
      InputStream out = backend.getInputStream();
      int status = 200;
      for (String header = line(out); !header.isEmpty(); header = line(out)) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim();
        String value = header.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          exchange.getResponseHeaders().add(name, value);
        }
      }
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream body = exchange.getResponseBody()) {
        out.transferTo(body);
      }
      backend.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A CGI header line, without its CR LF or LF. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static void keytool(String... arguments) throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    List<String> command = new ArrayList<>(List.of(java.resolveSibling("keytool").toString()));
    command.addAll(List.of(arguments));
    run(new ProcessBuilder(command).redirectErrorStream(true), "keytool " + arguments[0]);
  }

  private static void run(ProcessBuilder builder, String what) throws Exception {
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(what + " failed: " + output);
    }
  }
}
