package dev.ccc.api.session;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Min;

/** Per-user session quotas; each key can be set from the environment ({@code CCC_SESSIONS_…}). */
@ConfigMapping(prefix = "ccc.sessions")
public interface SessionConfig {

  /** Sessions one user may have, in any state ({@code CCC_SESSIONS_MAX_PER_USER}). */
  @Min(0)
  int maxPerUser();

  /**
   * Sessions of one user that may be starting, running or stopping at once ({@code
   * CCC_SESSIONS_MAX_RUNNING_PER_USER}).
   */
  @Min(0)
  int maxRunningPerUser();
}
