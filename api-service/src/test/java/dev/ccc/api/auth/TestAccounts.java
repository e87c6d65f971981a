package dev.ccc.api.auth;

import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Fresh accounts for REST tests, each with a bearer token: a real row in {@code users} and a real
 * login with its signed token, without the bcrypt work of a password check (which has tests of its
 * own).
 */
@ApplicationScoped
public class TestAccounts {

  /** An account and a token that authenticates as it. */
  public record Account(String id, String token) {}

  private final UserRepository users;
  private final Logins logins;

  TestAccounts(UserRepository users, Logins logins) {
    this.users = users;
    this.logins = logins;
  }

  public Account user() {
    return create(User.Role.USER);
  }

  public Account admin() {
    return create(User.Role.ADMIN);
  }

  private Account create(User.Role role) {
    User user =
        User.create("test-" + UUID.randomUUID(), null, "not-a-bcrypt-hash", role, Instant.now());
    users.persist(user).await().atMost(Duration.ofSeconds(30));
    Logins.Tokens tokens = logins.start(user, "127.0.0.1").await().atMost(Duration.ofSeconds(30));
    return new Account(user.getId(), tokens.accessToken());
  }
}
