package dev.ccc.api.workspace;

import java.time.Instant;
import java.util.Locale;

/** A workspace as the REST API shows it (docs/api.md, "Workspace"). */
public record WorkspaceView(
    String id,
    String ownerId,
    String name,
    String slug,
    String description,
    String gitUrl,
    String branch,
    String state,
    String error,
    Instant createdAt,
    Instant updatedAt) {

  static WorkspaceView of(Workspace workspace) {
    return new WorkspaceView(
        workspace.getId(),
        workspace.getOwnerId(),
        workspace.getName(),
        workspace.getSlug(),
        workspace.getDescription(),
        workspace.getGitUrl(),
        workspace.getBranch(),
        workspace.getState().name().toLowerCase(Locale.ROOT),
        workspace.getError(),
        workspace.getCreatedAt(),
        workspace.getUpdatedAt());
  }
}
