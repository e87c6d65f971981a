package dev.ccc.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/** bcrypt, cost 12. Verifying against {@link #DECOY} costs as much as against a real hash. */
@ApplicationScoped
public class PasswordHasher {
  private static final int COST = 12;

  /** A hash of nothing anyone can type; checked for unknown users so failures take equal time. */
  private static final String DECOY =
      BCrypt.withDefaults().hashToString(COST, "\0decoy".toCharArray());

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  /** True if {@code password} matches {@code hash}; a null hash is checked against the decoy. */
  public boolean verify(String password, String hash) {
    boolean matches =
        BCrypt.verifyer()
            .verify(
                password.getBytes(StandardCharsets.UTF_8),
                (hash == null ? DECOY : hash).getBytes(StandardCharsets.US_ASCII))
            .verified;
    return hash != null && matches;
  }
}
