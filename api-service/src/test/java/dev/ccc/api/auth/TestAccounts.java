package dev.ccc.api.auth;

import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Fresh accounts for REST tests, each with a bearer token: a real row in {@code users}, a real
 * login and its signed token, without the bcrypt work of a password check (which has tests of its
 * own).
 */
@ApplicationScoped
public class TestAccounts {

  /** An account and a token that authenticates as it. */
  public record Account(String id, String token) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

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

  /** A second login of {@code account}, as from another device. */
  public Logins.Tokens anotherLogin(Account account) {
    User user = users.findById(account.id()).await().atMost(TIMEOUT);
    return logins.start(user, "127.0.0.1").await().atMost(TIMEOUT);
  }

  private Account create(User.Role role) {
    User user =
        User.create("test-" + UUID.randomUUID(), null, "not-a-bcrypt-hash", role, Instant.now());
    users.persist(user).await().atMost(TIMEOUT);
    return new Account(
        user.getId(), logins.start(user, "127.0.0.1").await().atMost(TIMEOUT).accessToken());
  }
}
