package dev.ccc.api.totp;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * RFC 6238 codes as every authenticator app makes them: HMAC-SHA1, 6 digits, 30-second steps. A
 * code is accepted one step either side of now, for clocks that drift a little.
 */
final class TotpCodes {
  static final Duration STEP = Duration.ofSeconds(30);
  private static final int DRIFT_STEPS = 1;
  private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
  private static final String ISSUER = "Claude Code Cloud";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TotpCodes() {}

  /** A new 160-bit secret in Base32, the form apps accept typed in. */
  static String newSecret() {
    byte[] secret = new byte[20];
    RANDOM.nextBytes(secret);
    return new Base32().encodeToString(secret).replace("=", "");
  }

  /** The URI an authenticator app reads from a QR code. */
  static String otpauthUri(String username, String secret) {
    String label = encode(ISSUER) + ":" + encode(username);
    return "otpauth://totp/"
        + label
        + "?secret="
        + secret
        + "&issuer="
        + encode(ISSUER)
        + "&algorithm=SHA1&digits=6&period="
        + STEP.toSeconds();
  }

  static boolean looksLikeCode(String code) {
    return SIX_DIGITS.matcher(code).matches();
  }

  /** The time step within the drift window at which {@code code} is valid; empty if none. */
  static OptionalLong matchingStep(String secret, String code, Instant now) {
    if (!looksLikeCode(code)) {
      return OptionalLong.empty();
    }
    int expected = Integer.parseInt(code);
    TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP);
    SecretKeySpec key =
        new SecretKeySpec(new Base32().decode(secret.toUpperCase(Locale.ROOT)), "HmacSHA1");
    long current = now.getEpochSecond() / STEP.toSeconds();
    try {
      for (long step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
        if (generator.generateOneTimePassword(key, Instant.ofEpochSecond(step * STEP.toSeconds()))
            == expected) {
          return OptionalLong.of(step);
        }
      }
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("a stored TOTP secret is not a valid key", e);
    }
    return OptionalLong.empty();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
