package dev.ccc.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random bearer secrets (refresh tokens, personal access tokens, backup codes) and their stored
 * form. They carry 256 random bits, so a plain SHA-256 is enough to store them: unlike passwords
 * they cannot be guessed, and the hash lets a presented token be found by an index lookup.
 */
final class SecretTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretTokens() {}

  /** A new secret: {@code prefix} followed by 43 URL-safe characters. */
  static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What the database keeps of a secret. */
  static String hash(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
