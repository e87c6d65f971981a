package dev.ccc.api.audit;

import dev.ccc.api.auth.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Appends to the {@code audit_log} table. Each record is its own small transaction, written after
 * the change it describes; never put a secret in {@code detail}.
 */
@ApplicationScoped
public class AuditLog {
  private final Mutiny.SessionFactory sessions;
  private final Clock clock = Clock.systemUTC();

  AuditLog(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** Records what the current {@code caller} did to {@code target}. */
  public Uni<Void> record(Caller caller, AuditAction action, String target, String detail) {
    return record(caller.userId(), caller.address(), action, target, detail);
  }

  /**
   * Records an action by {@code actorId} (null when the service itself acted, e.g. on a process
   * exit) from {@code address} (null when not from a request).
   */
  public Uni<Void> record(
      String actorId, String address, AuditAction action, String target, String detail) {
    AuditEntry entry = AuditEntry.of(clock.instant(), actorId, action, target, address, detail);
    return sessions.withTransaction(session -> session.persist(entry));
  }

  /** The newest {@code limit} entries, newest first. */
  public Uni<List<AuditEntry>> newest(int limit) {
    return sessions.withSession(
        session ->
            session
                .createSelectionQuery("from AuditEntry order by at desc", AuditEntry.class)
                .setMaxResults(limit)
                .getResultList());
  }
}
