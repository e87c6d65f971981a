package dev.ccc.api.workspace;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Settings of workspaces; each key can be set from the environment ({@code CCC_WORKSPACES_…}). */
@ConfigMapping(prefix = "ccc.workspaces")
public interface WorkspaceConfig {

  /**
   * How long the api-service waits for a pty-service to clone a repository before it marks the
   * workspace {@code error} ({@code CCC_WORKSPACES_CLONE_TIMEOUT}). Keep it above the pty-service's
   * own limit ({@code CCC_PTY_CLONE_TIMEOUT_SECONDS}), so that its reason for a slow clone is the
   * one users see.
   */
  Duration cloneTimeout();
}
