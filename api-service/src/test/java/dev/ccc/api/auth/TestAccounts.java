package dev.ccc.api.auth;

import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Fresh accounts for REST tests, each with a bearer token: a real row in {@code users} and a real
 * signed token, without the bcrypt work of a login (which has tests of its own).
 */
@ApplicationScoped
public class TestAccounts {

  /** An account and a token that authenticates as it. */
  public record Account(String id, String token) {}

  private final UserRepository users;
  private final TokenIssuer tokens;

  TestAccounts(UserRepository users, TokenIssuer tokens) {
    this.users = users;
    this.tokens = tokens;
  }

  public Account user() {
    return create(User.Role.USER, Set.of("user"));
  }

  public Account admin() {
    return create(User.Role.ADMIN, Set.of("admin", "user"));
  }

  private Account create(User.Role role, Set<String> roles) {
    User user =
        User.create("test-" + UUID.randomUUID(), null, "not-a-bcrypt-hash", role, Instant.now());
    users.persist(user).await().atMost(Duration.ofSeconds(30));
    return new Account(user.getId(), tokens.accessToken(user.getId(), roles));
  }
}
