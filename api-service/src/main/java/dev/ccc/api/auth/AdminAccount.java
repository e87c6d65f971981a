package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.logging.Logger;

/**
 * The bootstrap administrator. Its password comes from {@code CCC_ADMIN_PASSWORD}; without it, one
 * is generated on first start, only its hash is kept, and the clear text is written once to an
 * owner-only file (never to the log). Accounts move to the database with the accounts issue; this
 * class then seeds the first row.
 */
@Startup
@ApplicationScoped
public class AdminAccount {
  private static final Logger LOG = Logger.getLogger(AdminAccount.class.getName());
  static final String HASH_FILE = "admin-password.bcrypt";
  static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private final String username;
  private final String passwordHash;

  AdminAccount(ApiConfig config, PasswordHasher hasher) {
    this.username = config.admin().username();
    Path hashFile = config.dataDir().resolve(HASH_FILE);
    try {
      if (config.admin().password().isPresent()) {
        passwordHash = hasher.hash(config.admin().password().get());
      } else if (Files.exists(hashFile)) {
        passwordHash = Files.readString(hashFile, StandardCharsets.US_ASCII).trim();
      } else {
        String generated = generatePassword();
        passwordHash = hasher.hash(generated);
        OwnerOnlyFile.write(hashFile, passwordHash);
        Path initial = config.dataDir().resolve(INITIAL_PASSWORD_FILE);
        OwnerOnlyFile.write(initial, generated + "\n");
        LOG.info(
            "generated a password for the admin user '"
                + username
                + "'; it is in "
                + initial.toAbsolutePath().normalize()
                + " (read it, then delete the file)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or store the admin password hash", e);
    }
  }

  public String username() {
    return username;
  }

  String passwordHash() {
    return passwordHash;
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
