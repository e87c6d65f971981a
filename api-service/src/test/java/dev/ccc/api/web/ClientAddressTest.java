package dev.ccc.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which address a request is counted and audited under, from the position of a client that writes
 * whatever {@code X-Forwarded-For} it likes. The HTTP path is covered by the login throttle's
 * tests.
 */
class ClientAddressTest {
  private final ClientAddress behindProxies = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8"));

  @Test
  void withoutTrustedProxiesAForgedHeaderIsIgnored() {
    ClientAddress direct = new ClientAddress(List.of());
    assertEquals("127.0.0.1", direct.resolve("127.0.0.1", List.of("203.0.113.9")));
  }

  @Test
  void aPeerThatIsNotATrustedProxyIsTheClientWhateverItForwards() {
    assertEquals("198.51.100.1", behindProxies.resolve("198.51.100.1", List.of("10.0.0.5")));
  }

  @Test
  void behindATrustedProxyTheAddressItAppendedIsTheClient() {
    assertEquals("203.0.113.9", behindProxies.resolve("10.0.0.2", List.of("203.0.113.9")));
  }

  @Test
  void entriesAClientPutsInFrontOfTheProxysAreIgnored() {
    assertEquals(
        "203.0.113.9", behindProxies.resolve("10.0.0.2", List.of("1.1.1.1, 7.7.7.7, 203.0.113.9")));
  }

  @Test
  void trustedProxiesInTheChainAreSkippedFromTheRight() {
    assertEquals(
        "203.0.113.9",
        behindProxies.resolve("10.0.0.2", List.of("1.1.1.1", "203.0.113.9, 10.0.0.7")));
  }

  @Test
  void somethingThatIsNotAnAddressStopsTheWalkAtTheHopThatSentIt() {
    assertEquals(
        "10.0.0.7", behindProxies.resolve("10.0.0.2", List.of("1.1.1.1, localhost, 10.0.0.7")));
    assertEquals("10.0.0.2", behindProxies.resolve("10.0.0.2", List.of("unknown")));
  }

  @Test
  void aChainOfOnlyTrustedProxiesEndsAtItsLeftMostEntry() {
    assertEquals("10.0.0.9", behindProxies.resolve("10.0.0.2", List.of("10.0.0.9, 10.0.0.7")));
  }

  @Test
  void aTrustedPeerWithoutTheHeaderIsTheClient() {
    assertEquals("10.0.0.2", behindProxies.resolve("10.0.0.2", List.of()));
  }

  @Test
  void ipv6ProxiesAndClientsWork() {
    assertEquals(
        "2001:db8:0:0:0:0:0:7",
        behindProxies.resolve("fd00:0:0:0:0:0:0:1", List.of("2001:db8::7")));
  }

  @Test
  void aSettingThatIsNotAnAddressOrCidrBlockIsRefusedWithItsName() {
    for (String wrong : List.of("proxy.example.com", "10.0.0.0/33", "10.0.0.0/x", "10.0.0")) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of(wrong)));
      assertTrue(refused.getMessage().contains("'" + wrong + "'"), refused.getMessage());
      assertTrue(refused.getMessage().startsWith("CCC_API_TRUSTED_PROXIES"));
    }
  }
}
