package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Makes sure the bootstrap administrator exists as the first row of {@code users}. Its password
 * comes from {@code CCC_ADMIN_PASSWORD}; without it, one is generated, only its hash is stored, and
 * the clear text is written once to an owner-only file (never to the log). An existing account is
 * left alone, so a changed password survives restarts.
 */
@ApplicationScoped
public class AdminAccount {
  private static final Logger LOG = Logger.getLogger(AdminAccount.class.getName());
  static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(30);

  private final ApiConfig config;
  private final PasswordHasher hasher;
  private final UserRepository users;

  AdminAccount(ApiConfig config, PasswordHasher hasher, UserRepository users) {
    this.config = config;
    this.hasher = hasher;
    this.users = users;
  }

  void seed(@Observes StartupEvent event) {
    ensure(config.admin().username(), config.admin().password(), config.dataDir());
  }

  /** The administrator {@code username}, created if missing. */
  User ensure(String username, Optional<String> configuredPassword, Path dataDir) {
    User existing = users.findByUsername(username).await().atMost(DATABASE_TIMEOUT);
    if (existing != null) {
      return existing;
    }
    String password = configuredPassword.orElseGet(AdminAccount::generatePassword);
    User admin =
        users
            .persist(
                User.create(
                    username, username, hasher.hash(password), User.Role.ADMIN, Instant.now()))
            .await()
            .atMost(DATABASE_TIMEOUT);
    if (configuredPassword.isEmpty()) {
      Path initial = dataDir.resolve(INITIAL_PASSWORD_FILE);
      try {
        OwnerOnlyFile.write(initial, password + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + initial, e);
      }
      LOG.info(
          "created the admin user '"
              + username
              + "' with a generated password; it is in "
              + initial.toAbsolutePath().normalize()
              + " (read it, then delete the file)");
    }
    return admin;
  }

  private static String generatePassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
