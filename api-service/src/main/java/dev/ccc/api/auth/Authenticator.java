package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.auth.AuthResource.LoginResponse;
import dev.ccc.api.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Checks credentials. An unknown user name costs the same bcrypt work as a wrong password, so
 * response times do not reveal which accounts exist.
 */
@ApplicationScoped
public class Authenticator {
  private final AdminAccount admin;
  private final PasswordHasher hasher;
  private final TokenIssuer tokens;
  private final ApiConfig config;
  private final LoginThrottle throttle;

  Authenticator(
      AdminAccount admin,
      PasswordHasher hasher,
      TokenIssuer tokens,
      ApiConfig config,
      LoginThrottle throttle) {
    this.throttle = throttle;
    this.admin = admin;
    this.hasher = hasher;
    this.tokens = tokens;
    this.config = config;
  }

  /**
   * The tokens for a correct user name and password; empty otherwise. Throws a 429 {@link
   * ApiException} while the account or the address has failed too often.
   */
  Optional<LoginResponse> login(String username, String password, String address) {
    Optional<Duration> blocked = throttle.blockedFor(username, address);
    if (blocked.isPresent()) {
      throw ApiException.tooManyRequests(
          "Too many failed logins; try again in "
              + Math.max(1, blocked.get().toMinutes())
              + " minute(s).",
          blocked.get());
    }
    Optional<LoginResponse> result = check(username, password);
    if (result.isPresent()) {
      throttle.recordSuccess(username);
    } else {
      throttle.recordFailure(username, address);
    }
    return result;
  }

  private Optional<LoginResponse> check(String username, String password) {
    boolean knownUser =
        MessageDigest.isEqual(
            username.getBytes(StandardCharsets.UTF_8),
            admin.username().getBytes(StandardCharsets.UTF_8));
    if (!hasher.verify(password, knownUser ? admin.passwordHash() : null)) {
      return Optional.empty();
    }
    return Optional.of(
        new LoginResponse(
            tokens.accessToken(admin.username(), Set.of("admin", "user")),
            "Bearer",
            config.jwt().accessTokenLifetime().toSeconds()));
  }
}
