package dev.ccc.api.auth;

import dev.ccc.api.db.PostgresProfile;
import java.util.Map;

/** {@link TrustedLoopbackProxy} on PostgreSQL. */
public class PostgresBehindTrustedLoopbackProxy extends PostgresProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return TrustedLoopbackProxy.SETTINGS;
  }
}
