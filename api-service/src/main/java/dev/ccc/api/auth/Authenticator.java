package dev.ccc.api.auth;

import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Logins.Tokens;
import dev.ccc.api.metrics.LoginFailures;
import dev.ccc.api.totp.TwoFactor;
import dev.ccc.api.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Checks credentials against the {@code users} table. An unknown or deactivated user costs the same
 * bcrypt work as a wrong password, so response times do not reveal which accounts exist. With
 * two-factor login on, a correct password alone answers "code required" — only to someone who knew
 * the password.
 */
@ApplicationScoped
public class Authenticator {
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final TwoFactor twoFactor;
  private final Logins logins;
  private final AuditLog audit;
  private final LoginFailures failures;

  Authenticator(
      UserRepository users,
      PasswordHasher hasher,
      LoginThrottle throttle,
      TwoFactor twoFactor,
      Logins logins,
      AuditLog audit,
      LoginFailures failures) {
    this.users = users;
    this.hasher = hasher;
    this.throttle = throttle;
    this.twoFactor = twoFactor;
    this.logins = logins;
    this.audit = audit;
    this.failures = failures;
  }

  /**
   * The tokens of a new login for correct credentials. Fails with a 401 {@link ApiException} for
   * wrong ones or a missing two-factor code, and with a 429 while the account or the address must
   * wait after failing too often ({@link LoginThrottle}).
   */
  Uni<Tokens> login(String username, String password, String code, String address) {
    return throttle
        .admit(username, address)
        .chain(
            wait -> {
              if (wait.isPresent()) {
                failures.record(LoginFailures.Reason.THROTTLED);
                long seconds = retryAfterSeconds(wait.get());
                return Uni.createFrom()
                    .failure(
                        ApiException.tooManyRequests(
                            "Too many failed logins; try again in " + seconds + " second(s).",
                            Duration.ofSeconds(seconds)));
              }
              return checkCredentials(username, password, code, address);
            });
  }

  /** Whole seconds, rounded up, so that a client waiting that long is admitted. */
  private static long retryAfterSeconds(Duration wait) {
    return Math.max(1, wait.plusMillis(999).toSeconds());
  }

  private Uni<Tokens> checkCredentials(
      String username, String password, String code, String address) {
    return users
        .findByUsername(username)
        .chain(
            user -> {
              boolean usable = user != null && user.isActive();
              return hasher
                  .verifyOffLoop(password, usable ? user.getPasswordHash() : null)
                  .map(matches -> matches ? user : null);
            })
        .chain(user -> secondFactor(user, code))
        // The right password without the code it needs is no failure, but no login yet either.
        .onFailure(
            failure ->
                failure instanceof ApiException e && e.type().equals(ApiException.TOTP_REQUIRED))
        .call(() -> throttle.undecided(username, address))
        .chain(
            user -> {
              if (user == null) {
                failures.record(LoginFailures.Reason.INVALID_CREDENTIALS);
                return throttle
                    .failed(username, address)
                    .chain(
                        () -> audit.record(null, address, AuditAction.LOGIN_FAILED, username, null))
                    .chain(
                        () ->
                            Uni.createFrom()
                                .failure(
                                    ApiException.unauthorized("Invalid username or password.")));
              }
              return throttle
                  .succeeded(username, address)
                  .chain(
                      () ->
                          audit.record(
                              user.getId(),
                              address,
                              AuditAction.LOGIN_SUCCEEDED,
                              user.getId(),
                              null))
                  .chain(() -> logins.start(user, address));
            });
  }

  /** {@code user} if they passed the second factor or need none; null if the code is wrong. */
  private Uni<User> secondFactor(User user, String code) {
    if (user == null || !user.isTotpEnabled()) {
      return Uni.createFrom().item(user);
    }
    if (code == null || code.isBlank()) {
      return Uni.createFrom().failure(ApiException.totpRequired());
    }
    return twoFactor.verify(user, code).map(accepted -> accepted ? user : null);
  }
}
