package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The RSA key pair that signs every token. Loaded from {@code ccc.jwt.key-dir}, or generated there
 * on first start, so no installation ever shares a default key. SmallRye JWT reads the public half
 * from the same folder to verify bearer tokens, and the gateway gets it over the bus.
 */
@Startup
@ApplicationScoped
public class SigningKeys {
  private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
  static final String PRIVATE_FILE = "jwt-private.pem";
  static final String PUBLIC_FILE = "jwt-public.pem";

  private final PrivateKey privateKey;
  private final String publicKeyPem;

  SigningKeys(ApiConfig config) {
    Path dir = config.jwt().keyDir();
    try {
      if (!Files.exists(dir.resolve(PRIVATE_FILE))) {
        generate(dir);
      }
      privateKey = readPrivateKey(dir.resolve(PRIVATE_FILE));
      publicKeyPem = Files.readString(dir.resolve(PUBLIC_FILE), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the JWT keys in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JWT private key in " + dir + " is not RSA PKCS#8", e);
    }
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  /** The verification key, PEM-encoded. Public by nature; safe to hand to the gateway. */
  public String publicKeyPem() {
    return publicKeyPem;
  }

  private static void generate(Path dir) throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Files.createDirectories(dir);
    OwnerOnlyFile.write(
        dir.resolve(PRIVATE_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(dir.resolve(PUBLIC_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    LOG.info("generated a new JWT signing key pair in " + dir);
  }

  private static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    String base64 =
        Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
