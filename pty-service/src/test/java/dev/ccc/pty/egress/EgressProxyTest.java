package dev.ccc.pty.egress;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
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
    proxy = EgressProxy.start(socket, policy, uid -> "uid " + uid);
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
