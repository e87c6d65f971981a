package dev.ccc.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.account.User;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class AdminAccountTest {
  @Inject AdminAccount admins;
  @Inject PasswordHasher hasher;

  @Test
  void aMissingAdminIsCreatedWithAGeneratedPasswordShownOnceAndKeptOnlyAsAHash(@TempDir Path data)
      throws Exception {
    String username = "admin-" + UUID.randomUUID().toString().substring(0, 8);
    User created = admins.ensure(username, Optional.empty(), data);
    Path initial = data.resolve(AdminAccount.INITIAL_PASSWORD_FILE);
    String password = Files.readString(initial).trim();
    assertEquals(24, password.length());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(initial)));
    assertEquals(User.Role.ADMIN, created.getRole());
    assertTrue(hasher.verify(password, created.getPasswordHash()));
    assertFalse(created.getPasswordHash().contains(password));

    Files.delete(initial);
    User again = admins.ensure(username, Optional.empty(), data);
    assertEquals(created.getId(), again.getId());
    assertFalse(Files.exists(initial), "a restart must not make a new password");
  }

  @Test
  void aConfiguredPasswordIsUsedAndNothingIsWritten(@TempDir Path data) {
    String username = "admin-" + UUID.randomUUID().toString().substring(0, 8);
    User created = admins.ensure(username, Optional.of("from-env"), data);
    assertTrue(hasher.verify("from-env", created.getPasswordHash()));
    assertFalse(hasher.verify("other", created.getPasswordHash()));
    assertFalse(Files.exists(data.resolve(AdminAccount.INITIAL_PASSWORD_FILE)));
  }

  @Test
  void unknownUsersAreCheckedAgainstTheDecoyAndNeverMatch() {
    assertFalse(hasher.verify("", null));
    assertFalse(hasher.verify("\0decoy", null));
  }
}
