package dev.ccc.pty.egress;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress proxy on a real Unix socket, spoken to as a sandboxed program would: tunnels to what
 * the policy permits, clear answers for the rest.
 */
@Timeout(20)
class EgressProxyTest {
  @TempDir Path folder;
  private EgressProxy proxy;
  private Path socket;

  @BeforeEach
  void start() throws IOException {
    socket = folder.resolve("egress.sock");
    // Loopback stands in for the internet here; the machine's other addresses stay refused.
    EgressPolicy policy =
        new EgressPolicy(Network.parseAll(List.of("127.0.0.0/8")), List.of(), Set::of);
    proxy = EgressProxy.start(socket, policy, null, uid -> "uid " + uid);
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  @Test
  void aTunnelCarriesBytesBothWays() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SocketChannel client = connect()) {
      send(client, "CONNECT 127.0.0.1:" + server.getLocalPort() + " HTTP/1.1\r\n\r\nearly");
      try (Socket far = server.accept()) {
        assertEquals("HTTP/1.1 200 Connection established\r\n\r\n", read(client, 39));
        assertEquals("early", new String(far.getInputStream().readNBytes(5), ISO_8859_1));
        far.getOutputStream().write("answer".getBytes(ISO_8859_1));
        assertEquals("answer", read(client, 6));
      }
    }
  }

  @Test
  void refusalsAreAnsweredWithTheirReason() throws Exception {
    assertTrue(answer("CONNECT 10.0.0.1:22 HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 403"));
    assertTrue(answer("GET / HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 400"));
    assertTrue(
        answer("GET http://" + "x".repeat(20_000) + "/ HTTP/1.1\r\n\r\n")
            .startsWith("HTTP/1.1 431"));
    int closed;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = server.getLocalPort();
    }
    String refused = answer("CONNECT 127.0.0.1:" + closed + " HTTP/1.1\r\n\r\n");
    assertTrue(refused.startsWith("HTTP/1.1 502"), refused);
    assertTrue(refused.contains("cannot connect"), refused);
  }

  @Test
  void behindAnUpstreamProxyEveryTunnelGoesThroughItToTheCheckedAddress() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      proxy.close();
      proxy =
          EgressProxy.start(
              socket,
              new EgressPolicy(List.of(), List.of(), Set::of),
              UpstreamProxy.parse("http://corp%40user:s3cret@127.0.0.1:" + upstream.getLocalPort()),
              uid -> "uid " + uid);

      // An address on the internet: the upstream proxy is asked for that very address.
      try (SocketChannel client = connect()) {
        send(client, "CONNECT 93.184.215.14:443 HTTP/1.1\r\n\r\nhello");
        try (Socket corporate = upstream.accept()) {
          String asked = head(corporate);
          assertTrue(asked.startsWith("CONNECT 93.184.215.14:443 HTTP/1.1\r\n"), asked);
          assertTrue(
              asked.contains(
                  "Proxy-Authorization: Basic "
                      + Base64.getEncoder()
                          .encodeToString("corp@user:s3cret".getBytes(ISO_8859_1))),
              asked);
          corporate.getOutputStream().write("HTTP/1.1 200 OK\r\n\r\nfirst".getBytes(ISO_8859_1));
          assertEquals("HTTP/1.1 200 Connection established\r\n\r\nfirst", read(client, 44));
          assertEquals("hello", new String(corporate.getInputStream().readNBytes(5), ISO_8859_1));
        }
      }

      // A name this machine cannot resolve is left to the upstream proxy.
      try (SocketChannel client = connect()) {
        send(client, "CONNECT registry.corp.invalid:443 HTTP/1.1\r\n\r\n");
        try (Socket corporate = upstream.accept()) {
          assertTrue(head(corporate).startsWith("CONNECT registry.corp.invalid:443 HTTP/1.1"));
          corporate.getOutputStream().write("HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(ISO_8859_1));
          String refused = read(client, 400);
          assertTrue(refused.startsWith("HTTP/1.1 502"), refused);
          assertTrue(refused.contains("HTTP/1.1 403 Forbidden"), refused);
          assertTrue(!refused.contains("s3cret"), refused);
        }
      }

      // What the policy refuses never reaches the upstream proxy.
      upstream.setSoTimeout(500);
      assertTrue(answer("CONNECT 10.0.0.1:22 HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 403"));
      assertThrows(SocketTimeoutException.class, upstream::accept);
    }
  }

  @Test
  void anUpstreamProxyIsAnHttpUrlWithAHostAndAPortAndItsPasswordIsNeverShown() {
    for (String invalid :
        List.of(
            "https://proxy:3128",
            "http://proxy",
            "http://proxy:3128/path",
            "proxy:3128",
            "http://user:pw@:3128")) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> UpstreamProxy.parse(invalid));
      assertTrue(!refused.getMessage().contains("pw"), refused.getMessage());
    }
    assertEquals(
        "http://proxy.corp:3128", UpstreamProxy.parse("http://u:pw@proxy.corp:3128").toString());
  }

  /** A request head as an upstream proxy receives it. */
  private static String head(Socket socket) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = socket.getInputStream().read();
      if (next < 0) {
        break;
      }
      head.append((char) next);
    }
    return head.toString();
  }

  private SocketChannel connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return channel;
  }

  private String answer(String request) throws IOException {
    try (SocketChannel client = connect()) {
      send(client, request);
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      while (client.read(buffer) >= 0) {
        // Until the proxy closes the connection.
      }
      return new String(buffer.array(), 0, buffer.position(), ISO_8859_1);
    }
  }

  private static void send(SocketChannel channel, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(ISO_8859_1));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private static String read(SocketChannel channel, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // Until the whole answer is in.
    }
    return new String(buffer.array(), 0, buffer.position(), ISO_8859_1);
  }
}
