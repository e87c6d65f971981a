package dev.ccc.pty.egress;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ccc.pty.PtyMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;

/**
 * The only way out of a sandbox: an HTTP proxy on a Unix socket that every sandbox sees (and that a
 * relay inside each sandbox exposes on its loopback), which connects to the internet on the
 * sandbox's behalf and to nothing else ({@link EgressPolicy}). Programs use it through the usual
 * {@code HTTPS_PROXY} variables: {@code CONNECT} tunnels for TLS and any TCP protocol, absolute
 * URLs for plain HTTP. Names are resolved here and the connection goes to the very address that was
 * checked, so DNS tricks cannot turn an allowed name into a forbidden address.
 *
 * <p>Where the machine has no direct way out, connections go through the operator's own proxy
 * ({@link UpstreamProxy}) as tunnels to the checked address; a name that does not resolve here is
 * passed to it by name, for it to resolve.
 *
 * <p>Each connection is served by a thread of its own (two while relaying); the peer's uid, from
 * the socket itself, names the user in logs and caps how many connections one user holds.
 */
public final class EgressProxy implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EgressProxy.class.getName());

  private static final int MAX_HEAD_BYTES = 16 * 1024;
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  /** Connections one user may hold open at once: plenty for npm, far from exhausting threads. */
  static final int MAX_CONNECTIONS_PER_USER = 256;

  private static final int MAX_CONNECTIONS = 4096;

  private final ServerSocketChannel server;
  private final EgressPolicy policy;
  private final UpstreamProxy upstream;
  private final IntFunction<String> describeUid;
  private final ExecutorService workers;
  private final ScheduledExecutorService timeouts;
  private final Map<Integer, AtomicInteger> openByUid = new ConcurrentHashMap<>();

  private EgressProxy(
      ServerSocketChannel server,
      EgressPolicy policy,
      UpstreamProxy upstream,
      IntFunction<String> describeUid) {
    this.server = server;
    this.policy = policy;
    this.upstream = upstream;
    this.describeUid = describeUid;
    this.workers =
        new ThreadPoolExecutor(
            0,
            2 * MAX_CONNECTIONS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> daemon(task, "egress-connection"));
    this.timeouts =
        Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "egress-timeouts"));
  }

  /**
   * Listens on {@code socket} (replacing a stale one), open to every local user: only sandboxes,
   * which see the socket, and the machine's own users, who reach the internet anyway, can use it.
   *
   * @param upstream the operator's proxy to go through, or null to connect directly
   * @param describeUid how a peer's uid is named in logs
   */
  public static EgressProxy start(
      Path socket, EgressPolicy policy, UpstreamProxy upstream, IntFunction<String> describeUid)
      throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    EgressProxy proxy = new EgressProxy(server, policy, upstream, describeUid);
    daemon(proxy::acceptUntilClosed, "egress-accept").start();
    return proxy;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the egress socket failed", e);
    }
    workers.shutdownNow();
    timeouts.shutdownNow();
  }

  private void acceptUntilClosed() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.log(Level.WARNING, "accepting an egress connection failed", e);
        continue;
      }
      try {
        workers.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        closeQuietly(client);
      }
    }
  }

  private void serve(SocketChannel client) {
    int uid = peerUid(client);
    AtomicInteger open = openByUid.computeIfAbsent(uid, ignored -> new AtomicInteger());
    try (client) {
      if (open.incrementAndGet() > MAX_CONNECTIONS_PER_USER) {
        refuse(client, 429, "Too Many Requests", "too many connections open at once");
        return;
      }
      ProxyRequest request;
      ByteBuffer rest = ByteBuffer.allocate(MAX_HEAD_BYTES);
      ScheduledFuture<?> timeout =
          timeouts.schedule(
              () -> closeQuietly(client), HEAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      try {
        request = ProxyRequest.parse(readHead(client, rest));
      } catch (ProxyRequest.Malformed e) {
        refuse(
            client,
            e.status,
            e.status == 431 ? "Request Header Fields Too Large" : "Bad Request",
            e.getMessage());
        return;
      } finally {
        timeout.cancel(false);
      }
      String host;
      try {
        host = policy.resolve(request.host()).getHostAddress();
      } catch (EgressPolicy.Refused e) {
        PtyMetrics.EGRESS_REFUSED.increment();
        LOG.info("egress refused for " + describeUid.apply(uid) + ": " + e.getMessage());
        refuse(client, 403, "Forbidden", e.getMessage());
        return;
      } catch (UnknownHostException e) {
        if (upstream == null) {
          refuse(client, 502, "Bad Gateway", request.host() + " does not resolve");
          return;
        }
        // Behind the operator's proxy, outside names are often known only to it.
        host = request.host();
      }
      relay(client, request, host, rest);
    } catch (IOException e) {
      LOG.log(Level.FINE, "egress connection of " + describeUid.apply(uid) + " ended", e);
    } finally {
      open.decrementAndGet();
    }
  }

  /** Connects to {@code host} (an address, or a name for the upstream proxy) and relays. */
  private void relay(SocketChannel client, ProxyRequest request, String host, ByteBuffer rest)
      throws IOException {
    String target = host + " port " + request.port();
    try (SocketChannel far = SocketChannel.open()) {
      ByteBuffer early = ByteBuffer.allocate(0);
      try {
        if (upstream == null) {
          far.socket().connect(new InetSocketAddress(host, request.port()), CONNECT_TIMEOUT_MILLIS);
        } else {
          early = tunnelThroughUpstream(far, host, request.port());
        }
      } catch (SocketTimeoutException e) {
        refuse(client, 504, "Gateway Timeout", target + " did not answer in time");
        return;
      } catch (UpstreamRefused e) {
        refuse(client, 502, "Bad Gateway", e.getMessage());
        return;
      } catch (IOException e) {
        refuse(client, 502, "Bad Gateway", "cannot connect to " + target + ": " + e.getMessage());
        return;
      }
      PtyMetrics.EGRESS_CONNECTIONS.increment();
      if (request.tunnel()) {
        writeFully(
            client,
            ByteBuffer.wrap("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(ISO_8859_1)));
      } else {
        writeFully(far, ByteBuffer.wrap(request.forwardedHead()));
      }
      writeFully(client, early);
      rest.flip();
      writeFully(far, rest);
      // The program's half: when it is done sending, the far end hears so and still answers.
      Future<?> outbound =
          workers.submit(
              () -> {
                try {
                  pump(client, far);
                  far.shutdownOutput();
                } catch (IOException e) {
                  closeQuietly(far);
                }
              });
      try {
        pump(far, client);
      } finally {
        // The far end is done: so is the connection, whatever the program still holds open.
        outbound.cancel(true);
        closeQuietly(far);
      }
    }
  }

  /** The upstream proxy would not open a tunnel; the message says what it answered. */
  private static final class UpstreamRefused extends IOException {
    UpstreamRefused(String message) {
      super(message);
    }
  }

  /**
   * Connects {@code far} to the upstream proxy and asks it for a tunnel to {@code host}:{@code
   * port}; what the far end sent after the proxy's answer, to be passed on.
   *
   * @throws UpstreamRefused when the proxy answers anything but 200
   */
  private ByteBuffer tunnelThroughUpstream(SocketChannel far, String host, int port)
      throws IOException {
    InetSocketAddress proxy = upstream.address();
    try {
      far.socket()
          .connect(
              new InetSocketAddress(proxy.getHostString(), proxy.getPort()),
              CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      throw new UpstreamRefused(
          "cannot connect to the upstream proxy " + upstream + ": " + e.getMessage());
    }
    writeFully(far, ByteBuffer.wrap(upstream.connectHead(host, port)));
    ByteBuffer after = ByteBuffer.allocate(MAX_HEAD_BYTES);
    String statusLine;
    try {
      statusLine = readHead(far, after).lines().findFirst().orElse("");
    } catch (ProxyRequest.Malformed e) {
      throw new UpstreamRefused("the upstream proxy " + upstream + " answered no HTTP head");
    }
    if (!statusLine.matches("HTTP/1\\.[01] 200( .*)?")) {
      throw new UpstreamRefused(
          "the upstream proxy " + upstream + " refused " + host + ":" + port + ": " + statusLine);
    }
    return after.flip();
  }

  /**
   * Reads up to the blank line that ends a request head; what was read after it stays in {@code
   * rest} (flipped for writing), such as the start of a TLS handshake sent without waiting.
   */
  private static String readHead(SocketChannel client, ByteBuffer rest)
      throws IOException, ProxyRequest.Malformed {
    while (true) {
      if (client.read(rest) < 0) {
        throw new ProxyRequest.Malformed(400, "the request ended before its head did");
      }
      byte[] read = rest.array();
      for (int i = 3; i < rest.position(); i++) {
        if (read[i - 3] == '\r' && read[i - 2] == '\n' && read[i - 1] == '\r' && read[i] == '\n') {
          String head = new String(read, 0, i - 3, ISO_8859_1);
          ByteBuffer after = ByteBuffer.wrap(read, i + 1, rest.position() - i - 1).slice();
          rest.clear();
          rest.put(after);
          return head;
        }
      }
      if (!rest.hasRemaining()) {
        throw new ProxyRequest.Malformed(
            431, "the request head is over " + MAX_HEAD_BYTES + " bytes");
      }
    }
  }

  private static void pump(SocketChannel from, SocketChannel to) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        writeFully(to, buffer);
        buffer.clear();
      }
    } catch (AsynchronousCloseException e) {
      // The other direction ended the connection.
    }
  }

  private static void writeFully(SocketChannel to, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      to.write(bytes);
    }
  }

  /**
   * Answers with an error and ends the connection, letting the program read the answer: what it
   * sent that was not read yet is drained first (for a second at most), since closing a socket with
   * unread data resets the connection, answer and all.
   */
  private void refuse(SocketChannel client, int status, String reason, String message)
      throws IOException {
    respond(client, status, reason, message);
    client.shutdownOutput();
    ScheduledFuture<?> deadline =
        timeouts.schedule(() -> closeQuietly(client), 1, TimeUnit.SECONDS);
    try {
      ByteBuffer discarded = ByteBuffer.allocate(8192);
      while (client.read(discarded) >= 0) {
        discarded.clear();
      }
    } catch (IOException e) {
      // Closed by the deadline, or by the program.
    } finally {
      deadline.cancel(false);
    }
  }

  private static void respond(SocketChannel client, int status, String reason, String message)
      throws IOException {
    byte[] body = ("ccc egress proxy: " + message + "\n").getBytes(UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    writeFully(client, ByteBuffer.wrap(head.getBytes(ISO_8859_1)));
    writeFully(client, ByteBuffer.wrap(body));
  }

  /** The uid of the process at the other end, as the kernel reports it; -1 if it cannot. */
  private static int peerUid(SocketChannel client) {
    try {
      String name = client.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
      // The JDK names uids without an account on this machine, such as sandboxes', by number.
      return name.matches("[0-9]{1,10}") ? Integer.parseInt(name) : -1;
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.log(Level.FINE, "closing an egress connection failed", e);
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
