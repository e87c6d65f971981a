package dev.ccc.pty.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which destinations a sandbox reaches: the internet, never the installation. */
class EgressPolicyTest {
  private static final Set<InetAddress> SERVICE = Set.of(address("203.0.113.7"));

  private static EgressPolicy policy(List<String> allow, List<String> deny) {
    return new EgressPolicy(Network.parseAll(allow), Network.parseAll(deny), () -> SERVICE);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void theInternetIsReachableAndNothingElse() {
    EgressPolicy policy = policy(List.of(), List.of());
    for (String internet : List.of("1.1.1.1", "140.82.112.3", "2606:4700:4700::1111")) {
      assertNull(policy.refusal(address(internet)), internet);
    }
    for (String local :
        List.of(
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.5",
            "172.18.0.3",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.5",
            "::10.0.0.5",
            "64:ff9b::a00:5")) {
      assertNotNull(policy.refusal(address(local)), local);
    }
  }

  @Test
  void theServicesOwnAddressesAreRefusedWhateverIsAllowed() {
    EgressPolicy policy = policy(List.of("0.0.0.0/0"), List.of());
    assertTrue(policy.refusal(address("203.0.113.7")).contains("installation"));
    assertNull(policy.refusal(address("10.1.2.3")));
  }

  @Test
  void anOperatorOpensAPrivateNetworkAndClosesPartOfIt() {
    EgressPolicy policy = policy(List.of("10.20.0.0/16"), List.of("10.20.30.0/24", "1.1.1.1"));
    assertNull(policy.refusal(address("10.20.1.1")));
    assertNotNull(policy.refusal(address("10.20.30.40")));
    assertNotNull(policy.refusal(address("10.21.0.1")));
    assertNotNull(policy.refusal(address("1.1.1.1")));
  }

  @Test
  void resolvingPicksAPermittedAddressOrSaysWhyNone() throws Exception {
    EgressPolicy policy = policy(List.of(), List.of());
    assertEquals(address("1.1.1.1"), policy.resolve("1.1.1.1"));
    EgressPolicy.Refused refused =
        assertThrows(EgressPolicy.Refused.class, () -> policy.resolve("localhost"));
    assertTrue(refused.getMessage().startsWith("localhost ("), refused.getMessage());
  }

  @Test
  void malformedNetworksAreRefused() {
    for (String bad : List.of("10.0.0.0/33", "example.com", "10.0.0.0/x", "1.2.3.4/8/9", "")) {
      assertThrows(IllegalArgumentException.class, () -> Network.parse(bad), bad);
    }
    assertEquals("10.0.0.0/8", Network.parse(" 10.0.0.0/8 ").toString());
  }
}
