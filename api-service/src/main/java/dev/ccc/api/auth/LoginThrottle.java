package dev.ccc.api.auth;

import dev.ccc.api.db.Database;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Slows password guessing per account name and per client address with progressive delays, and
 * never locks anyone out for longer than {@link #MAX_DELAY}: after a few free failures, each
 * further attempt for that account or from that address must wait a delay that doubles with every
 * failure, counted from the latest attempt. Once it has passed, the right password logs in, and
 * that clears the account's count. A key that has been quiet for {@link #FORGET_AFTER} starts from
 * zero.
 *
 * <p>The counts are rows in the database ({@link FailedLogins}), so every api-service replica
 * enforces the same delays and a restart does not reset them. An attempt is counted as a failure
 * <em>before</em> the password is checked (one conditional UPDATE per key, which of concurrent
 * attempts only one wins), and given back when it turns out not to be one; so a burst of parallel
 * guesses gets no more attempts than one guess after another. See docs/decisions/0013.
 */
@ApplicationScoped
public class LoginThrottle {
  static final int FREE_FAILURES_PER_ACCOUNT = 5;
  static final int FREE_FAILURES_PER_ADDRESS = 20;
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofMinutes(1);
  static final Duration FORGET_AFTER = Duration.ofMinutes(15);

  /**
   * Admissions that lose a race for a key's row are tried again this often before the attempt is
   * refused for {@link #FIRST_DELAY}: a race means others are trying the same key right now.
   */
  private static final int TRIES = 5;

  /** A throttle key and how many failures it gets before delays begin. */
  private record Key(String name, int free) {}

  /** Another admission changed a key's row between reading and updating it. */
  private static final class Contended extends RuntimeException {
    Contended() {
      super(null, null, false, false);
    }
  }

  private final Mutiny.SessionFactory sessions;
  private final Clock clock = Clock.systemUTC();

  LoginThrottle(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** How long a key with {@code failures} recent failures waits after its latest attempt. */
  static Duration delay(int failures, int free) {
    if (failures < free) {
      return Duration.ZERO;
    }
    Duration doubled = FIRST_DELAY.multipliedBy(1L << Math.min(failures - free, 30));
    return doubled.compareTo(MAX_DELAY) < 0 ? doubled : MAX_DELAY;
  }

  /**
   * Admits a login attempt for {@code username} from {@code address} and counts it as a failure of
   * both until {@link #succeeded} or {@link #undecided} says otherwise; or, when the account or the
   * address must still wait, changes nothing and says how long.
   *
   * @return empty when admitted; else the time to wait
   */
  Uni<Optional<Duration>> admit(String username, String address) {
    List<Key> keys = List.of(account(username), address(address));
    return Uni.createFrom()
        .deferred(() -> sessions.withTransaction(db -> charge(db, keys, clock.instant())))
        .onFailure(failure -> failure instanceof Contended || Database.isUniqueViolation(failure))
        .retry()
        .atMost(TRIES - 1)
        .onFailure(failure -> failure instanceof Contended || Database.isUniqueViolation(failure))
        .recoverWithItem(Optional.of(FIRST_DELAY));
  }

  /**
   * The admitted attempt failed: its delay is counted from now, when the caller hears so, rather
   * than from when it was admitted. Also forgets keys that have been quiet long enough.
   */
  Uni<Void> failed(String username, String address) {
    Instant now = clock.instant();
    return sessions
        .withTransaction(
            db ->
                db.createMutationQuery(
                        "update FailedLogins set lastAttemptAt = :now"
                            + " where throttleKey in (:keys) and lastAttemptAt < :now")
                    .setParameter("now", now)
                    .setParameter(
                        "keys", List.of(account(username).name(), address(address).name()))
                    .executeUpdate()
                    .chain(
                        () ->
                            db.createMutationQuery(
                                    "delete from FailedLogins where lastAttemptAt <= :forgotten")
                                .setParameter("forgotten", now.minus(FORGET_AFTER))
                                .executeUpdate()))
        .replaceWithVoid();
  }

  /**
   * The admitted attempt logged in: the account's failures are forgotten, and the address gets back
   * the failure it was charged (its other failures stand).
   */
  Uni<Void> succeeded(String username, String address) {
    return sessions.withTransaction(
        db ->
            db.createMutationQuery("delete from FailedLogins where throttleKey = :key")
                .setParameter("key", account(username).name())
                .executeUpdate()
                .chain(() -> giveBack(db, address(address))));
  }

  /**
   * The admitted attempt was neither a failure nor a login (the password was right, but a
   * two-factor code is still needed): both keys get back what they were charged.
   */
  Uni<Void> undecided(String username, String address) {
    return sessions.withTransaction(
        db -> giveBack(db, account(username)).chain(() -> giveBack(db, address(address))));
  }

  /**
   * Reads both keys; if either must wait, the longer wait. Else counts one more failure on each,
   * every update conditional on the row being as read.
   */
  private static Uni<Optional<Duration>> charge(Mutiny.Session db, List<Key> keys, Instant now) {
    return db.createSelectionQuery(
            "select throttleKey, failures, lastAttemptAt from FailedLogins"
                + " where throttleKey in (:keys)",
            Object[].class)
        .setParameter("keys", keys.stream().map(Key::name).toList())
        .getResultList()
        .chain(
            rows -> {
              Map<String, Object[]> byKey = new HashMap<>();
              rows.forEach(row -> byKey.put((String) row[0], row));
              Duration wait = Duration.ZERO;
              for (Key key : keys) {
                Object[] row = byKey.get(key.name());
                if (row != null && recent((Instant) row[2], now)) {
                  Instant allowed = ((Instant) row[2]).plus(delay((Integer) row[1], key.free()));
                  Duration left = Duration.between(now, allowed);
                  wait = left.compareTo(wait) > 0 ? left : wait;
                }
              }
              if (!wait.isZero() && !wait.isNegative()) {
                return Uni.createFrom().item(Optional.of(wait));
              }
              Uni<Void> charged = Uni.createFrom().voidItem();
              for (Key key : keys) {
                Object[] row = byKey.get(key.name());
                charged = charged.chain(() -> chargeOne(db, key, row, now));
              }
              return charged.map(ignored -> Optional.<Duration>empty());
            });
  }

  private static Uni<Void> chargeOne(Mutiny.Session db, Key key, Object[] row, Instant now) {
    if (row == null) {
      // A concurrent first insert of the same key fails this one as a unique violation.
      return db.persist(FailedLogins.first(key.name(), now)).chain(db::flush);
    }
    int seen = (Integer) row[1];
    Instant seenAt = (Instant) row[2];
    return db.createMutationQuery(
            "update FailedLogins set failures = :failures, lastAttemptAt = :now"
                + " where throttleKey = :key and failures = :seen and lastAttemptAt = :seenAt")
        .setParameter("failures", recent(seenAt, now) ? seen + 1 : 1)
        .setParameter("now", now)
        .setParameter("key", key.name())
        .setParameter("seen", seen)
        .setParameter("seenAt", seenAt)
        .executeUpdate()
        .invoke(
            updated -> {
              if (updated == 0) {
                throw new Contended();
              }
            })
        .replaceWithVoid();
  }

  /** Takes back one failure charged to {@code key}; a key left with none is forgotten. */
  private static Uni<Void> giveBack(Mutiny.Session db, Key key) {
    return db.createMutationQuery(
            "update FailedLogins set failures = failures - 1"
                + " where throttleKey = :key and failures > 0")
        .setParameter("key", key.name())
        .executeUpdate()
        .chain(
            () ->
                db.createMutationQuery(
                        "delete from FailedLogins where throttleKey = :key and failures <= 0")
                    .setParameter("key", key.name())
                    .executeUpdate())
        .replaceWithVoid();
  }

  private static boolean recent(Instant lastAttempt, Instant now) {
    return lastAttempt.isAfter(now.minus(FORGET_AFTER));
  }

  /** Names that differ only in case count as one, so changing the case buys no more guesses. */
  private static Key account(String username) {
    return new Key("user:" + username.toLowerCase(Locale.ROOT), FREE_FAILURES_PER_ACCOUNT);
  }

  private static Key address(String address) {
    return new Key("addr:" + address, FREE_FAILURES_PER_ADDRESS);
  }
}
