package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.auth.AuthResource.LoginResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

  Authenticator(AdminAccount admin, PasswordHasher hasher, TokenIssuer tokens, ApiConfig config) {
    this.admin = admin;
    this.hasher = hasher;
    this.tokens = tokens;
    this.config = config;
  }

  Optional<LoginResponse> login(String username, String password) {
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
