package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import dev.ccc.api.auth.AuthResource.LoginResponse;
import dev.ccc.api.web.ApiException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Checks credentials against the {@code users} table. An unknown or deactivated user costs the same
 * bcrypt work as a wrong password, so response times do not reveal which accounts exist.
 */
@ApplicationScoped
public class Authenticator {
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final TokenIssuer tokens;
  private final ApiConfig config;
  private final LoginThrottle throttle;

  Authenticator(
      UserRepository users,
      PasswordHasher hasher,
      TokenIssuer tokens,
      ApiConfig config,
      LoginThrottle throttle) {
    this.users = users;
    this.hasher = hasher;
    this.tokens = tokens;
    this.config = config;
    this.throttle = throttle;
  }

  /**
   * The tokens for a correct user name and password; empty otherwise. Fails with a 429 {@link
   * ApiException} while the account or the address has failed too often.
   */
  Uni<Optional<LoginResponse>> login(String username, String password, String address) {
    Optional<Duration> blocked = throttle.blockedFor(username, address);
    if (blocked.isPresent()) {
      return Uni.createFrom()
          .failure(
              ApiException.tooManyRequests(
                  "Too many failed logins; try again in "
                      + Math.max(1, blocked.get().toMinutes())
                      + " minute(s).",
                  blocked.get()));
    }
    return users
        .findByUsername(username)
        // bcrypt takes a quarter of a second of CPU: never on an event loop.
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(user -> check(user, password))
        .invoke(
            result -> {
              if (result.isPresent()) {
                throttle.recordSuccess(username);
              } else {
                throttle.recordFailure(username, address);
              }
            });
  }

  private Optional<LoginResponse> check(User user, String password) {
    boolean usable = user != null && user.isActive();
    if (!hasher.verify(password, usable ? user.getPasswordHash() : null)) {
      return Optional.empty();
    }
    Set<String> roles =
        user.getRole() == User.Role.ADMIN ? Set.of("admin", "user") : Set.of("user");
    return Optional.of(
        new LoginResponse(
            tokens.accessToken(user.getId(), roles),
            "Bearer",
            config.jwt().accessTokenLifetime().toSeconds()));
  }
}
