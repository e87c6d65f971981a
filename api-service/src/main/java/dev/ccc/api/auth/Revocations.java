package dev.ccc.api.auth;

import dev.ccc.api.account.User;
import dev.ccc.api.bus.BusMembership;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CredentialCheck;
import dev.ccc.bus.BusContract.CredentialStatus;
import dev.ccc.bus.BusContract.Revoked;
import io.smallrye.mutiny.Uni;
import io.vertx.core.eventbus.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Whether a user may still use a credential (a {@link Login} or a personal access token), as every
 * authenticated request and every new gateway socket asks. Answers come from the database and are
 * cached for {@link #CACHE_TTL}; a revocation drops them at once on every api-service (it is
 * published on the bus, where gateways hear it too and close the sockets it covers).
 */
@ApplicationScoped
public class Revocations {
  private static final Logger LOG = Logger.getLogger(Revocations.class.getName());

  /** How long a cached answer may be used; only matters if a revocation publish is lost. */
  static final Duration CACHE_TTL = Duration.ofSeconds(5);

  /** What authentication needs to know about an account; an unknown one is inactive. */
  public record Standing(boolean active, User.Role role) {
    static final Standing UNKNOWN = new Standing(false, User.Role.USER);
  }

  private record Cached<T>(T value, Instant until) {}

  private final Mutiny.SessionFactory sessions;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Cached<Standing>> standings = new ConcurrentHashMap<>();
  private final Map<String, Cached<Boolean>> usable = new ConcurrentHashMap<>();
  private volatile BusMembership bus;

  Revocations(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  void onJoined(@Observes BusMembership.Joined joined) {
    bus = joined.bus();
    bus.serve(BusContract.AUTH_CHECK, this::answerCheck);
    bus.eventBus().consumer(BusContract.AUTH_REVOKED, message -> forget(message.body()));
  }

  /** Whether {@code userId} is active, and in which role. */
  public Uni<Standing> standing(String userId) {
    Cached<Standing> cached = standings.get(userId);
    if (cached != null && clock.instant().isBefore(cached.until())) {
      return Uni.createFrom().item(cached.value());
    }
    return sessions
        .withSession(session -> session.find(User.class, userId))
        .map(
            user -> user == null ? Standing.UNKNOWN : new Standing(user.isActive(), user.getRole()))
        .invoke(standing -> standings.put(userId, new Cached<>(standing, expiry())));
  }

  /** Whether the login or personal access token {@code credentialId} of {@code userId} is live. */
  public Uni<Boolean> usable(String userId, String credentialId) {
    Cached<Boolean> cached = usable.get(credentialId);
    if (cached != null && clock.instant().isBefore(cached.until())) {
      return Uni.createFrom().item(cached.value());
    }
    long now = clock.millis();
    return sessions
        .withSession(
            session ->
                session
                    .createSelectionQuery(
                        "select count(*) from Login where id = :id and userId = :user"
                            + " and revokedAt is null",
                        Long.class)
                    .setParameter("id", credentialId)
                    .setParameter("user", userId)
                    .getSingleResult()
                    .chain(
                        logins ->
                            logins > 0
                                ? Uni.createFrom().item(1L)
                                : session
                                    .createSelectionQuery(
                                        "select count(*) from PersonalAccessToken where id = :id"
                                            + " and userId = :user and revokedAt is null"
                                            + " and (expiresAt is null or expiresAt > :now)",
                                        Long.class)
                                    .setParameter("id", credentialId)
                                    .setParameter("user", userId)
                                    .setParameter("now", Instant.ofEpochMilli(now))
                                    .getSingleResult()))
        .map(count -> count > 0)
        .invoke(live -> usable.put(credentialId, new Cached<>(live, expiry())));
  }

  /**
   * Announces that {@code credentialId} of {@code userId} (every credential of theirs when null)
   * must no longer work. Call after the database change is committed.
   */
  public void revoked(String userId, String credentialId) {
    Revoked revoked = new Revoked(userId, credentialId);
    forget(revoked.toJson());
    if (bus != null) {
      bus.eventBus().publish(BusContract.AUTH_REVOKED, revoked.toJson());
    }
  }

  /**
   * The user's role changed: drop what this replica cached about them. Other replicas see the new
   * role within {@link #CACHE_TTL}; losing access goes through {@link #revoked} instead.
   */
  public void roleChanged(String userId) {
    standings.remove(userId);
  }

  private void forget(Object body) {
    try {
      Revoked revoked = Revoked.parse(body);
      standings.remove(revoked.user());
      if (revoked.credential() == null) {
        usable.clear();
      } else {
        usable.remove(revoked.credential());
      }
    } catch (BusContract.InvalidMessage e) {
      LOG.warning("ignored a malformed revocation: " + e.getMessage());
    }
  }

  private void answerCheck(Message<Object> message) {
    CredentialCheck check;
    try {
      check = CredentialCheck.parse(message.body());
    } catch (BusContract.InvalidMessage e) {
      message.fail(BusContract.FAILURE_INVALID, e.getMessage());
      return;
    }
    standing(check.user())
        .chain(
            standing ->
                standing.active()
                    ? usable(check.user(), check.credential())
                    : Uni.createFrom().item(false))
        .subscribe()
        .with(
            allowed -> message.reply(new CredentialStatus(allowed).toJson()),
            failure -> {
              LOG.log(Level.WARNING, "credential check failed", failure);
              message.fail(BusContract.FAILURE_UNAVAILABLE, "credential check failed");
            });
  }

  private Instant expiry() {
    return clock.instant().plus(CACHE_TTL);
  }
}
