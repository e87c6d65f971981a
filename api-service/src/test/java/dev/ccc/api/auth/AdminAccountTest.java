package dev.ccc.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.ApiConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAccountTest {
  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void firstStartGeneratesAPasswordKeepsOnlyItsHashAndReusesItLater(@TempDir Path data)
      throws Exception {
    AdminAccount first = new AdminAccount(config(data, Optional.empty()), hasher);
    Path initial = data.resolve(AdminAccount.INITIAL_PASSWORD_FILE);
    String password = Files.readString(initial).trim();
    assertEquals(24, password.length());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(initial)));
    assertTrue(hasher.verify(password, first.passwordHash()));
    String stored = Files.readString(data.resolve(AdminAccount.HASH_FILE));
    assertFalse(stored.contains(password), "the hash file must not hold the password");

    Files.delete(initial);
    AdminAccount restarted = new AdminAccount(config(data, Optional.empty()), hasher);
    assertTrue(hasher.verify(password, restarted.passwordHash()));
    assertFalse(Files.exists(initial), "a restart must not print a new password");
  }

  @Test
  void aConfiguredPasswordWins(@TempDir Path data) {
    AdminAccount admin = new AdminAccount(config(data, Optional.of("from-env")), hasher);
    assertTrue(hasher.verify("from-env", admin.passwordHash()));
    assertFalse(hasher.verify("other", admin.passwordHash()));
    assertFalse(Files.exists(data.resolve(AdminAccount.INITIAL_PASSWORD_FILE)));
  }

  @Test
  void unknownUsersAreCheckedAgainstTheDecoyAndNeverMatch() {
    assertFalse(hasher.verify("", null));
    assertFalse(hasher.verify("\0decoy", null));
  }

  private static ApiConfig config(Path data, Optional<String> password) {
    return new ApiConfig() {
      @Override
      public Path dataDir() {
        return data;
      }

      @Override
      public Jwt jwt() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Admin admin() {
        return new Admin() {
          @Override
          public String username() {
            return "admin";
          }

          @Override
          public Optional<String> password() {
            return password;
          }
        };
      }

      @Override
      public Gateway gateway() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
