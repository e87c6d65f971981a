package dev.ccc.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random bearer secrets (refresh tokens, personal access tokens): 256 bits, shown to their owner
 * once and stored only as a SHA-256 hash. A fast hash is enough for secrets this long; passwords,
 * which people choose, get bcrypt instead.
 */
public final class OpaqueTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private OpaqueTokens() {}

  /** A new token: {@code prefix} followed by 43 URL-safe characters. */
  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hex SHA-256 of {@code token}, as stored. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
