package dev.ccc.pty.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which addresses a sandbox may reach through the egress proxy: the internet, and nothing of the
 * installation. Refused, in this order of precedence:
 *
 * <ol>
 *   <li>the service's own addresses (every address of this machine's interfaces, and the cluster's
 *       members), which no setting opens: they are where the event bus, Hazelcast and the
 *       management ports listen;
 *   <li>the networks an operator denies ({@code CCC_PTY_EGRESS_DENY});
 *   <li>unless an operator allows them ({@code CCC_PTY_EGRESS_ALLOW}), every address that is not
 *       the public internet: loopback, private, link-local (and with it the cloud metadata service
 *       at 169.254.169.254), shared (carrier-grade NAT), multicast and reserved ranges.
 * </ol>
 *
 * <p>IPv6 forms of an IPv4 address (IPv4-mapped, NAT64) are judged as that IPv4 address.
 */
public final class EgressPolicy {

  /** Everything that is not the public internet. */
  static final List<Network> NOT_INTERNET =
      Network.parseAll(
          List.of(
              "0.0.0.0/8",
              "10.0.0.0/8",
              "100.64.0.0/10",
              "127.0.0.0/8",
              "169.254.0.0/16",
              "172.16.0.0/12",
              "192.0.0.0/24",
              "192.168.0.0/16",
              "198.18.0.0/15",
              "224.0.0.0/4",
              "240.0.0.0/4",
              "::/128",
              "::1/128",
              "fc00::/7",
              "fe80::/10",
              "fec0::/10",
              "ff00::/8"));

  /** NAT64 prefixes: the last 32 bits of such an address are an IPv4 address. */
  private static final List<Network> NAT64 =
      Network.parseAll(List.of("64:ff9b::/96", "64:ff9b:1::/48"));

  private final List<Network> allow;
  private final List<Network> deny;
  private final Supplier<Set<InetAddress>> serviceAddresses;

  /**
   * @param allow networks opened although they are not the internet
   * @param deny networks closed although they are
   * @param serviceAddresses the service's own addresses, asked at every decision (they change as
   *     containers restart)
   */
  EgressPolicy(
      List<Network> allow, List<Network> deny, Supplier<Set<InetAddress>> serviceAddresses) {
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
    this.serviceAddresses = serviceAddresses;
  }

  /**
   * The policy of a pty-service: {@code allow} and {@code deny} as CIDRs from its settings, and
   * {@code clusterMembers} (host names or addresses) besides the machine's own interfaces as its
   * addresses.
   *
   * @throws IllegalArgumentException for a malformed CIDR
   */
  public static EgressPolicy of(
      List<String> allow, List<String> deny, Supplier<List<String>> clusterMembers) {
    return new EgressPolicy(
        Network.parseAll(allow),
        Network.parseAll(deny),
        () -> {
          Set<InetAddress> addresses = new HashSet<>(interfaceAddresses());
          for (String member : clusterMembers.get()) {
            try {
              addresses.addAll(Arrays.asList(InetAddress.getAllByName(member)));
            } catch (UnknownHostException e) {
              // A member that cannot be resolved now cannot be reached through its name either.
            }
          }
          return addresses;
        });
  }

  /** Why a destination is refused, for the sandboxed program's error message. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The address to connect to for {@code host}: the first of its addresses that is permitted.
   *
   * @throws Refused when none is
   * @throws UnknownHostException when {@code host} does not resolve
   */
  public InetAddress resolve(String host) throws Refused, UnknownHostException {
    InetAddress[] candidates = InetAddress.getAllByName(host);
    String reason = null;
    for (InetAddress candidate : candidates) {
      reason = refusal(candidate);
      if (reason == null) {
        return candidate;
      }
    }
    throw new Refused(
        host
            + (candidates.length == 1 && candidates[0].getHostAddress().equals(host)
                ? ""
                : " (" + candidates[0].getHostAddress() + ")")
            + " "
            + reason);
  }

  /** Why {@code address} is refused, or null when a sandbox may reach it. */
  String refusal(InetAddress address) {
    Set<InetAddress> own = serviceAddresses.get();
    byte[] judged = asIpv4(address);
    for (InetAddress service : own) {
      if (Arrays.equals(asIpv4(service), judged)) {
        return "is an address of this installation";
      }
    }
    if (any(deny, judged)) {
      return "is in a network the operator closed (CCC_PTY_EGRESS_DENY)";
    }
    if (any(allow, judged)) {
      return null;
    }
    if (any(NOT_INTERNET, judged)) {
      return "is not on the internet; sandboxes reach only the internet unless the operator opens"
          + " a network (CCC_PTY_EGRESS_ALLOW)";
    }
    return null;
  }

  private static boolean any(List<Network> networks, byte[] address) {
    return networks.stream().anyMatch(network -> network.contains(address));
  }

  /**
   * The IPv4 address an IPv6 address stands for (NAT64, IPv4-compatible), or the address. Java
   * already turns IPv4-mapped addresses into IPv4 ones.
   */
  private static byte[] asIpv4(InetAddress address) {
    byte[] bytes = address.getAddress();
    // ::1 and :: become 0.0.0.1 and 0.0.0.0, which are refused like them.
    if (address instanceof Inet6Address
        && (any(NAT64, bytes) || Arrays.equals(bytes, 0, 12, new byte[12], 0, 12))) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static Set<InetAddress> interfaceAddresses() {
    List<InetAddress> addresses = new ArrayList<>();
    try {
      for (NetworkInterface networkInterface :
          Collections.list(NetworkInterface.getNetworkInterfaces())) {
        addresses.addAll(Collections.list(networkInterface.getInetAddresses()));
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list this machine's network interfaces", e);
    }
    return Set.copyOf(addresses);
  }
}
