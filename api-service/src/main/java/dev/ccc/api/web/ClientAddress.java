package dev.ccc.api.web;

import io.quarkus.runtime.Startup;
import io.smallrye.config.ConfigMapping;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address of the client behind a request: what the login throttle counts and the audit log
 * records. {@code X-Forwarded-For} is read only when the direct peer is a trusted proxy ({@code
 * CCC_API_TRUSTED_PROXIES}), and then from the right: each proxy appends the address it was reached
 * from, so the entries a trusted proxy wrote are on the right and anything a client made up is on
 * the left. The right-most entry that is not itself a trusted proxy is the client.
 */
@ApplicationScoped
@Startup // so that a wrong CCC_API_TRUSTED_PROXIES stops the start, not the first login
public class ClientAddress {

  /** The proxies whose {@code X-Forwarded-For} is believed. */
  @ConfigMapping(prefix = "ccc.api")
  public interface Config {
    /**
     * Comma-separated addresses and CIDR blocks of reverse proxies in front of the api-service
     * ({@code CCC_API_TRUSTED_PROXIES}); none by default.
     */
    Optional<List<String>> trustedProxies();
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final List<Block> trusted;

  @Inject
  ClientAddress(Config config) {
    this(config.trustedProxies().orElse(List.of()));
  }

  /**
   * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR block
   */
  ClientAddress(List<String> trustedProxies) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : trustedProxies) {
      if (!entry.isBlank()) {
        blocks.add(Block.parse(entry.trim()));
      }
    }
    this.trusted = List.copyOf(blocks);
  }

  /** The client's address for {@code request}. */
  public String of(HttpServerRequest request) {
    return resolve(
        request.remoteAddress().hostAddress(), request.headers().getAll("X-Forwarded-For"));
  }

  /**
   * The client's address for a request from {@code peer} carrying these {@code X-Forwarded-For}
   * header values (several headers count as one list, in order).
   */
  String resolve(String peer, List<String> forwardedFor) {
    Optional<InetAddress> hop = literal(peer);
    if (hop.isEmpty() || !isTrusted(hop.get())) {
      return peer;
    }
    List<String> chain = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String entry : header.split(",")) {
        if (!entry.isBlank()) {
          chain.add(entry.trim());
        }
      }
    }
    InetAddress client = hop.get();
    for (int i = chain.size() - 1; i >= 0; i--) {
      Optional<InetAddress> entry = literal(chain.get(i));
      if (entry.isEmpty()) {
        // Not an address: not what a trusted proxy writes, so it came from the client or from
        // a proxy that is not trusted. The hop that handed it over is the last one known.
        break;
      }
      client = entry.get();
      if (!isTrusted(client)) {
        break;
      }
    }
    return client.getHostAddress();
  }

  private boolean isTrusted(InetAddress address) {
    return trusted.stream().anyMatch(block -> block.contains(address));
  }

  /**
   * An IP address written literally (IPv6 optionally in brackets); never a host name to look up.
   */
  private static Optional<InetAddress> literal(String text) {
    String bare =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(bare));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** An address with a prefix length: {@code 10.0.0.0/8}, or one address alone. */
  private record Block(byte[] network, int prefix) {
    static Block parse(String entry) {
      int slash = entry.indexOf('/');
      Optional<InetAddress> address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address.isEmpty()) {
        throw invalid(entry);
      }
      byte[] bytes = address.get().getAddress();
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw invalid(entry);
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw invalid(entry);
        }
      }
      return new Block(bytes, prefix);
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    private static IllegalArgumentException invalid(String entry) {
      return new IllegalArgumentException(
          "CCC_API_TRUSTED_PROXIES: '"
              + entry
              + "' is not an IP address or a CIDR block such as 10.0.0.0/8");
    }
  }
}
