package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the few secrets the database must hold in a recoverable form (TOTP seeds) with
 * AES-256-GCM, and keys the hashes of short secrets (backup codes) with HMAC-SHA256, so a copy of
 * the database alone reveals neither. The 256-bit key is {@value #KEY_FILE} in the JWT key folder,
 * generated on first start (mode 0600); back it up with the database.
 */
@ApplicationScoped
public class SecretBox {
  static final String KEY_FILE = "secret-box.key";
  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec encryptionKey;
  private final SecretKeySpec macKey;

  SecretBox(ApiConfig config) {
    byte[] key = readOrCreate(config.jwt().keyDir().resolve(KEY_FILE));
    // One stored key, two uses: derive separate keys so the cipher and the MAC never share one.
    encryptionKey = new SecretKeySpec(derive(key, "encrypt"), "AES");
    macKey = new SecretKeySpec(derive(key, "mac"), "HmacSHA256");
  }

  /** {@code plain}, encrypted and encoded as text for a database column. */
  public String seal(String plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
  }

  /** The text {@link #seal} was given; fails if {@code sealed} was altered or sealed elsewhere. */
  public String open(String sealed) {
    if (!sealed.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    byte[] in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          encryptionKey,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOf(in, NONCE_BYTES)));
      return new String(
          cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a sealed value does not open with this key", e);
    }
  }

  /** Keyed hex hash of {@code value}: equal values give equal hashes, only with this key. */
  public String mac(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(macKey);
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] derive(byte[] key, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        OwnerOnlyFile.write(file, Base64.getEncoder().encodeToString(key) + "\n");
      }
      return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
