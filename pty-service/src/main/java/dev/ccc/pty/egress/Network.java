package dev.ccc.pty.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** A block of IPv4 or IPv6 addresses in CIDR notation, such as {@code 10.0.0.0/8}. */
record Network(byte[] prefix, int length) {

  /** Parses {@code a.b.c.d/n} or {@code ipv6/n}; a bare address is a network of one. */
  static Network parse(String cidr) {
    String[] parts = cidr.trim().split("/", -1);
    byte[] address;
    try {
      // Only literals: never a DNS lookup for a setting.
      if (!parts[0].matches("[0-9a-fA-F:.]+")) {
        throw new UnknownHostException(parts[0]);
      }
      address = InetAddress.getByName(parts[0]).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP network: " + cidr);
    }
    int bits = address.length * 8;
    int length;
    try {
      length = parts.length == 1 ? bits : Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IP network: " + cidr);
    }
    if (parts.length > 2 || length < 0 || length > bits) {
      throw new IllegalArgumentException("not an IP network: " + cidr);
    }
    return new Network(address, length);
  }

  static List<Network> parseAll(List<String> cidrs) {
    return cidrs.stream().map(Network::parse).toList();
  }

  /** Whether {@code address} lies in this network; an IPv4 address is never in an IPv6 one. */
  boolean contains(byte[] address) {
    if (address.length != prefix.length) {
      return false;
    }
    int whole = length / 8;
    if (!Arrays.equals(address, 0, whole, prefix, 0, whole)) {
      return false;
    }
    int rest = length % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (address[whole] & mask) == (prefix[whole] & mask);
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(prefix).getHostAddress() + "/" + length;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Network network
        && length == network.length
        && Arrays.equals(prefix, network.prefix);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(prefix) + length;
  }
}
