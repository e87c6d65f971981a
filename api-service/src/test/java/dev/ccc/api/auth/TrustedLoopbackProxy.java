package dev.ccc.api.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The api-service behind a reverse proxy on loopback: the tests are that proxy, and name each
 * client's address in {@code X-Forwarded-For}, so that every test counts failures against addresses
 * of its own.
 */
public class TrustedLoopbackProxy implements QuarkusTestProfile {
  static final Map<String, String> SETTINGS = Map.of("ccc.api.trusted-proxies", "127.0.0.0/8,::1");

  @Override
  public Map<String, String> getConfigOverrides() {
    return SETTINGS;
  }
}
