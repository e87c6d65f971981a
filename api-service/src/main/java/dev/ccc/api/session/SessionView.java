package dev.ccc.api.session;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A session as the REST API shows it (docs/api.md, "Session"): the row, and the ids of the
 * terminals the pty-service runs for it (none unless it is running).
 */
public record SessionView(
    String id,
    String ownerId,
    String workspaceId,
    String name,
    String profile,
    String state,
    String error,
    List<String> terminals,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt) {

  static SessionView of(Session session, List<String> terminals) {
    return new SessionView(
        session.getId(),
        session.getOwnerId(),
        session.getWorkspaceId(),
        session.getName(),
        session.getProfile(),
        session.getState().name().toLowerCase(Locale.ROOT),
        session.getError(),
        List.copyOf(terminals),
        session.getCreatedAt(),
        session.getUpdatedAt(),
        session.getStartedAt());
  }
}
