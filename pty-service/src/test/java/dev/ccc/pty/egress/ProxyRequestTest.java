package dev.ccc.pty.egress;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The requests the egress proxy understands, and those it refuses with a clear answer. */
class ProxyRequestTest {
  @Test
  void aConnectNamesTheHostAndPortToTunnelTo() throws Exception {
    ProxyRequest request =
        ProxyRequest.parse("CONNECT api.anthropic.com:443 HTTP/1.1\r\nHost: api.anthropic.com");
    assertEquals("api.anthropic.com", request.host());
    assertEquals(443, request.port());
    assertTrue(request.tunnel());

    ProxyRequest ipv6 = ProxyRequest.parse("CONNECT [2001:db8::1]:22 HTTP/1.1");
    assertEquals("2001:db8::1", ipv6.host());
    assertEquals(22, ipv6.port());
  }

  @Test
  void plainHttpIsForwardedInOriginFormWithoutTheProxysHeaders() throws Exception {
    ProxyRequest request =
        ProxyRequest.parse(
            "GET http://deb.example.org:8080/dists/x?y=1 HTTP/1.1\r\n"
                + "Host: deb.example.org:8080\r\n"
                + "Proxy-Authorization: Basic c2VjcmV0\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "Accept: */*");
    assertEquals("deb.example.org", request.host());
    assertEquals(8080, request.port());
    assertFalse(request.tunnel());
    assertEquals(
        "GET /dists/x?y=1 HTTP/1.1\r\n"
            + "Host: deb.example.org:8080\r\n"
            + "Accept: */*\r\n"
            + "Connection: close\r\n\r\n",
        new String(request.forwardedHead(), ISO_8859_1));
    assertEquals(80, ProxyRequest.parse("HEAD http://example.org HTTP/1.0").port());
  }

  @Test
  void whatIsNotAProxyRequestIsABadRequest() {
    for (String head :
        List.of(
            "GET /index.html HTTP/1.1",
            "GET https://example.org/ HTTP/1.1",
            "GET ftp://example.org/ HTTP/1.1",
            "CONNECT example.org HTTP/1.1",
            "CONNECT example.org:70000 HTTP/1.1",
            "CONNECT example.org:443",
            "SSH-2.0-OpenSSH_9.2",
            "")) {
      ProxyRequest.Malformed refused =
          assertThrows(ProxyRequest.Malformed.class, () -> ProxyRequest.parse(head), head);
      assertEquals(400, refused.status);
    }
  }
}
