package dev.ccc.pty.egress;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.util.Base64;

/**
 * The operator's own HTTP proxy that the egress proxy goes through when the machine has no direct
 * way out ({@code CCC_PTY_EGRESS_UPSTREAM_PROXY}, {@code http://[user:password@]host:port}): every
 * connection becomes a {@code CONNECT} there, after the egress policy allowed it.
 *
 * @param address where the upstream proxy listens, resolved when connecting
 * @param authorization the {@code Proxy-Authorization} value, or null without credentials
 */
public record UpstreamProxy(InetSocketAddress address, String authorization) {

  /**
   * @throws IllegalArgumentException unless {@code url} is {@code http://[user:password@]host:port}
   *     without a path
   */
  public static UpstreamProxy parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid();
    }
    if (!"http".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getPort() < 1
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw invalid();
    }
    String credentials = uri.getRawUserInfo();
    return new UpstreamProxy(
        InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()),
        credentials == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(URLDecoder.decode(credentials, UTF_8).getBytes(UTF_8)));
  }

  /** The request head asking the upstream proxy for a tunnel to {@code host}:{@code port}. */
  byte[] connectHead(String host, int port) {
    String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    return ("CONNECT "
            + authority
            + " HTTP/1.1\r\nHost: "
            + authority
            + "\r\n"
            + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n")
            + "\r\n")
        .getBytes(ISO_8859_1);
  }

  @Override
  public String toString() {
    // Never the credentials: settings end up in logs.
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  private static IllegalArgumentException invalid() {
    // Not the value: it may hold a password.
    return new IllegalArgumentException(
        "CCC_PTY_EGRESS_UPSTREAM_PROXY must be http://[user:password@]host:port");
  }
}
