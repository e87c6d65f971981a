package dev.ccc.pty.egress;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * What a program asks the egress proxy for: a tunnel ({@code CONNECT host:port}, for TLS and any
 * other TCP protocol) or a plain-HTTP request for an absolute URL, which the proxy forwards with
 * the request line rewritten to the origin's form.
 *
 * @param host where to connect, a name or an address literal (without brackets)
 * @param port the TCP port there
 * @param tunnel whether this is a {@code CONNECT}
 * @param forwardedHead for plain HTTP, the request head to send on; empty for a tunnel
 */
record ProxyRequest(String host, int port, boolean tunnel, byte[] forwardedHead) {

  /** Headers meant for the proxy itself, never forwarded; the proxy sets its own Connection. */
  private static final List<String> HOP_BY_HOP =
      List.of("proxy-connection", "proxy-authorization", "connection", "keep-alive");

  /** A request the proxy cannot serve, with the status to answer. */
  static final class Malformed extends Exception {
    final int status;

    Malformed(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Parses a request head: the request line and header lines, without the blank line. */
  static ProxyRequest parse(String head) throws Malformed {
    List<String> lines = head.lines().toList();
    String[] requestLine = lines.isEmpty() ? new String[0] : lines.get(0).split(" ", -1);
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      throw new Malformed(400, "not an HTTP/1 request");
    }
    String method = requestLine[0];
    String target = requestLine[1];
    if (method.equals("CONNECT")) {
      URI authority = uri("//" + target);
      if (authority.getHost() == null || authority.getPort() < 1 || authority.getPort() > 65535) {
        throw new Malformed(400, "CONNECT needs host:port, not " + target);
      }
      return new ProxyRequest(unbracket(authority.getHost()), authority.getPort(), true, null);
    }
    URI url = uri(target);
    if (url.getScheme() == null
        || !url.getScheme().toLowerCase(Locale.ROOT).equals("http")
        || url.getHost() == null
        || url.getPort() > 65535) {
      throw new Malformed(
          400,
          "this is a proxy: send an absolute http:// URL, or CONNECT for https and anything else");
    }
    StringBuilder forwarded = new StringBuilder();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    forwarded
        .append(method)
        .append(' ')
        .append(path)
        .append(url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
        .append(' ')
        .append(requestLine[2])
        .append("\r\n");
    for (String header : lines.subList(1, lines.size())) {
      int colon = header.indexOf(':');
      String name = colon < 0 ? header : header.substring(0, colon);
      if (!HOP_BY_HOP.contains(name.trim().toLowerCase(Locale.ROOT))) {
        forwarded.append(header).append("\r\n");
      }
    }
    forwarded.append("Connection: close\r\n\r\n");
    return new ProxyRequest(
        unbracket(url.getHost()),
        url.getPort() < 0 ? 80 : url.getPort(),
        false,
        forwarded.toString().getBytes(ISO_8859_1));
  }

  private static URI uri(String text) throws Malformed {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new Malformed(400, "not a URL: " + text);
    }
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
