package dev.ccc.api.session;

import dev.ccc.bus.BusContract.SessionTerminals;
import dev.ccc.bus.BusContract.TabInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A session as the REST API shows it (docs/api.md, "Session"): the row, the ids of the terminals
 * the pty-service runs for it (none unless it is running), and its tabs, running, exited or cold.
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
    List<Tab> tabs,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt) {

  /**
   * One tab: its terminal's id, its name (null: none given), its profile, its state ({@code
   * running}, {@code exited}, or {@code cold}: its process ended with a restart of the pty-service,
   * its output is kept) and the exit code of its last process when it exited.
   */
  public record Tab(String id, String name, String profile, String state, Integer exitCode) {
    static Tab of(TabInfo info) {
      return new Tab(info.id(), info.name(), info.profile(), info.state(), info.exitCode());
    }
  }

  /** {@code session} with what its pty-service said of it, or nothing when none serves it. */
  static SessionView of(Session session, SessionTerminals status) {
    return new SessionView(
        session.getId(),
        session.getOwnerId(),
        session.getWorkspaceId(),
        session.getName(),
        session.getProfile(),
        session.getState().name().toLowerCase(Locale.ROOT),
        session.getError(),
        status == null ? List.of() : status.terminalIds(),
        status == null ? List.of() : status.tabs().stream().map(Tab::of).toList(),
        session.getCreatedAt(),
        session.getUpdatedAt(),
        session.getStartedAt());
  }

  /** {@code session} with no tabs. */
  static SessionView of(Session session) {
    return of(session, null);
  }
}
