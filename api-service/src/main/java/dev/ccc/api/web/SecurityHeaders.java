package dev.ccc.api.web;

import dev.ccc.api.ApiConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Headers on every response of the main port — REST, the web UI's files, errors and health — set
 * just before the headers are written, so whatever produced the response cannot leave them out.
 *
 * <p>The Content-Security-Policy is what the built web UI needs and no more: its own scripts and
 * styles; inline styles, because xterm.js writes {@code <style>} elements and {@code style}
 * attributes for the terminal's colours and size; {@code data:} images for the two-factor QR code;
 * fetches to itself and WebSockets to the gateway ({@code CCC_GATEWAY_PUBLIC_URL}). No inline or
 * evaluated script, no frames around it.
 *
 * <p>Caching: only the content-hashed files under {@code /assets/} may be kept for good ({@code
 * immutable}); {@code index.html}, which names them, is revalidated on every load ({@code
 * no-cache}), so a new release reaches browsers at once; API answers, which carry tokens and
 * personal data, are never stored.
 */
@ApplicationScoped
public class SecurityHeaders {
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";
  static final String NEVER_STORE = "no-store";

  /** What {@code CCC_GATEWAY_PUBLIC_URL} may put in place of its host: the page's host name. */
  private static final String HOSTNAME_PLACEHOLDER = "{hostname}";

  /** A host a CSP source can name (CSP has no syntax for IPv6 literals). */
  private static final Pattern CSP_HOST = Pattern.compile("[A-Za-z0-9.-]+");

  /** A path that cannot end the source or the directive it is in. */
  private static final Pattern CSP_PATH = Pattern.compile("[A-Za-z0-9/._~%-]*");

  private static final String APPLIED = SecurityHeaders.class.getName();

  private final String contentSecurityPolicy;

  SecurityHeaders(ApiConfig config) {
    this.contentSecurityPolicy = contentSecurityPolicy(config.gateway().publicUrl());
  }

  /**
   * The policy for a web UI whose gateway is at {@code gatewayUrl}.
   *
   * @throws IllegalArgumentException when {@code gatewayUrl} is not a ws:// or wss:// URL
   */
  static String contentSecurityPolicy(String gatewayUrl) {
    return String.join(
        "; ",
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self' " + webSocketSource(gatewayUrl),
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'");
  }

  /**
   * The gateway as a CSP source: its scheme, host, port and path. A {@code {hostname}} host, which
   * the browser fills in with the page's own, becomes any host ({@code *}) — not the request's
   * {@code Host} header, which a proxy in front may have rewritten. A host CSP cannot name leaves
   * the scheme alone.
   */
  static String webSocketSource(String gatewayUrl) {
    URI uri;
    try {
      uri = new URI(gatewayUrl.replace(HOSTNAME_PLACEHOLDER, "hostname.invalid"));
    } catch (URISyntaxException e) {
      throw notAWebSocketUrl(gatewayUrl);
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equals("ws") || scheme.equals("wss"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || !CSP_PATH.matcher(uri.getRawPath()).matches()
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw notAWebSocketUrl(gatewayUrl);
    }
    String host = gatewayUrl.contains(HOSTNAME_PLACEHOLDER) ? "*" : uri.getHost();
    if (!host.equals("*") && !CSP_HOST.matcher(host).matches()) {
      return scheme + ":";
    }
    return scheme
        + "://"
        + host
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getRawPath();
  }

  private static IllegalArgumentException notAWebSocketUrl(String gatewayUrl) {
    return new IllegalArgumentException(
        "CCC_GATEWAY_PUBLIC_URL: '"
            + gatewayUrl
            + "' is not a ws:// or wss:// URL such as ws://{hostname}:8081/ws");
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            context -> {
              // A single-page route is rerouted to "/" and comes through here again.
              if (context.get(APPLIED) == null) {
                context.put(APPLIED, Boolean.TRUE);
                context.addHeadersEndHandler(ignored -> apply(context));
              }
              context.next();
            });
  }

  private void apply(RoutingContext context) {
    HttpServerResponse response = context.response();
    response
        .putHeader("Content-Security-Policy", contentSecurityPolicy)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl(context.normalizedPath(), response));
  }

  private static String cacheControl(String path, HttpServerResponse response) {
    if (path.startsWith("/api/") || path.startsWith("/q/")) {
      return NEVER_STORE;
    }
    int status = response.getStatusCode();
    boolean found = status == 200 || status == 304;
    return found && path.startsWith("/assets/") ? IMMUTABLE : REVALIDATE;
  }
}
