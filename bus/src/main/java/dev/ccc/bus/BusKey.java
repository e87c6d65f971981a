package dev.ccc.bus;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The installation's bus key: a secret shared by the three services and by nothing else, read from
 * one file ({@code CCC_BUS_KEY_FILE}). Never logged, never sent anywhere. Bus messages that act for
 * a user carry a proof made with it ({@link BusProof}); the message codecs of {@link BusContract}
 * take it, so that such a message cannot be made or read without it.
 *
 * <p>The key is the file's bytes, as they are, at least {@link #MIN_BYTES} of them. A service that
 * finds no file creates one; one that finds a file it cannot use stops with a message saying what
 * to fix.
 */
public final class BusKey {
  private static final Logger LOG = Logger.getLogger(BusKey.class.getName());

  /** Fewest bytes a key file may hold: 256 bits, the strength of HMAC-SHA256. */
  public static final int MIN_BYTES = 32;

  /** Random bytes in a generated key, written as Base64 text so that it can be copied around. */
  private static final int GENERATED_RANDOM_BYTES = 48;

  private static final String HMAC = "HmacSHA256";

  private static final String SEALING_LABEL = "ccc.bus.sealed.v1";
  private static final String AES_GCM = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One initialized Mac per thread: proofs are checked on every keystroke, and a Mac is neither
   * thread-safe nor cheap to set up.
   */
  private final ThreadLocal<Mac> macs;

  private final Clock clock;

  /**
   * AES-256 key for what must cross the bus but never in clear (users' API keys), derived from the
   * bus key so that it needs no second secret, and different from it so that no proof is ever made
   * under the key that seals.
   */
  private final SecretKeySpec sealing;

  private BusKey(byte[] secret) {
    if (secret.length < MIN_BYTES) {
      throw new IllegalArgumentException("a bus key has at least " + MIN_BYTES + " bytes");
    }
    SecretKeySpec spec = new SecretKeySpec(secret, HMAC);
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(spec);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this Java has no " + HMAC, e);
              }
            });
    this.clock = Clock.systemUTC();
    Mac derive = macs.get();
    this.sealing =
        new SecretKeySpec(derive.doFinal(SEALING_LABEL.getBytes(StandardCharsets.US_ASCII)), "AES");
  }

  private BusKey(BusKey key, Clock clock) {
    this.macs = key.macs;
    this.clock = clock;
    this.sealing = key.sealing;
  }

  /** A key of these bytes, for tests and test vectors; services {@link #load} theirs. */
  public static BusKey of(byte[] secret) {
    return new BusKey(secret);
  }

  /**
   * The same key, dating the proofs it makes and judging the age of those it checks by {@code
   * clock}: for tests of the proof window and of fixed test vectors.
   */
  public BusKey withClock(Clock clock) {
    return new BusKey(this, clock);
  }

  /**
   * Where the key file is: {@code CCC_BUS_KEY_FILE}, else {@code keys/bus.key} in {@code
   * CCC_DATA_DIR} (default {@code ./data}), so that services sharing a data folder on one machine
   * share the key without further settings.
   */
  public static Path location(Function<String, String> lookup) {
    String file = Settings.read(lookup, "CCC_BUS_KEY_FILE", null);
    if (file != null) {
      return Path.of(file);
    }
    return Path.of(Settings.read(lookup, "CCC_DATA_DIR", "./data"), "keys", "bus.key");
  }

  /**
   * The key in {@code file}, generated there first if there is no file.
   *
   * @throws IllegalStateException when the file exists but cannot be read or is too short, or
   *     cannot be created; the message says which, and what to do
   */
  public static BusKey load(Path file) {
    Path path = file.toAbsolutePath().normalize();
    try {
      return new BusKey(checked(path, Files.readAllBytes(path)));
    } catch (NoSuchFileException absent) {
      generate(path);
    } catch (IOException e) {
      throw unreadable(path, e);
    }
    try {
      return new BusKey(checked(path, Files.readAllBytes(path)));
    } catch (IOException e) {
      throw unreadable(path, e);
    }
  }

  /** Now, in milliseconds since the epoch, by this key's clock. */
  long now() {
    return clock.millis();
  }

  /** HMAC-SHA256 under this key of {@code head} followed by {@code tail}. */
  byte[] mac(Buffer head, Buffer tail) {
    Mac mac = macs.get();
    mac.update(head.getByteBuf().nioBuffer());
    mac.update(tail.getByteBuf().nioBuffer());
    return mac.doFinal();
  }

  /**
   * {@code plaintext} encrypted for the services alone (AES-256-GCM, a random nonce, bound to
   * {@code address} so it cannot be opened as a message to another), as Base64 text.
   */
  public String seal(String address, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(AES_GCM);
      cipher.init(Cipher.ENCRYPT_MODE, sealing, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(address.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] framed = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, framed, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, framed, NONCE_BYTES, sealed.length);
      return Base64.getEncoder().encodeToString(framed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java cannot seal with " + AES_GCM, e);
    }
  }

  /**
   * What {@link #seal} sealed for {@code address}.
   *
   * @throws BusContract.InvalidMessage when {@code sealed} was not sealed under this key for that
   *     address, or was changed
   */
  public byte[] open(String address, String sealed) {
    byte[] framed;
    try {
      framed = Base64.getDecoder().decode(sealed);
    } catch (IllegalArgumentException e) {
      throw new BusContract.InvalidMessage("sealed data is not Base64");
    }
    if (framed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new BusContract.InvalidMessage("sealed data is too short");
    }
    try {
      Cipher cipher = Cipher.getInstance(AES_GCM);
      cipher.init(
          Cipher.DECRYPT_MODE, sealing, new GCMParameterSpec(TAG_BITS, framed, 0, NONCE_BYTES));
      cipher.updateAAD(address.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(framed, NONCE_BYTES, framed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new BusContract.InvalidMessage("sealed data was not sealed for this address or key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java cannot open " + AES_GCM, e);
    }
  }

  @Override
  public String toString() {
    return "BusKey[secret]";
  }

  private static byte[] checked(Path file, byte[] bytes) {
    if (bytes.length < MIN_BYTES) {
      throw new IllegalStateException(
          "The bus key "
              + file
              + " holds "
              + bytes.length
              + " bytes, fewer than "
              + MIN_BYTES
              + ". Give every service the same file of at least "
              + MIN_BYTES
              + " random bytes (for example `openssl rand -base64 48 > "
              + file.getFileName()
              + "`), or delete it to have one generated.");
    }
    return bytes;
  }

  private static IllegalStateException unreadable(Path file, IOException cause) {
    return new IllegalStateException(
        "Cannot read the bus key "
            + file
            + " ("
            + cause
            + "). It must be a file every service can read; set CCC_BUS_KEY_FILE to where it is.",
        cause);
  }

  /**
   * Writes a new key to a file of its own first and then links that in under {@code file}: linking
   * fails if {@code file} exists, so of two services starting at once exactly one key wins, and
   * nobody ever reads a half-written one.
   */
  private static void generate(Path file) {
    Path folder = file.getParent();
    Path draft = null;
    try {
      Files.createDirectories(folder);
      draft =
          Files.createTempFile(
              folder,
              ".bus.key.",
              ".new",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      byte[] random = new byte[GENERATED_RANDOM_BYTES];
      new SecureRandom().nextBytes(random);
      Files.write(
          draft, Base64.getEncoder().encodeToString(random).getBytes(StandardCharsets.US_ASCII));
      giveToFolderOwnerIfRoot(draft, folder);
      Files.createLink(file, draft);
      LOG.info("generated a new bus key in " + file);
    } catch (FileAlreadyExistsException anotherServiceWasFirst) {
      // Its key is the one: read below.
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException(
          "There is no bus key at "
              + file
              + " and none can be created there ("
              + e
              + "). Create it yourself (`openssl rand -base64 48 > "
              + file.getFileName()
              + "`) and give every service that file, or set CCC_BUS_KEY_FILE to a writable place.",
          e);
    } finally {
      if (draft != null) {
        try {
          Files.deleteIfExists(draft);
        } catch (IOException e) {
          LOG.warning("could not remove " + draft + ": " + e);
        }
      }
    }
  }

  /**
   * A service running as root (the pty-service in its container) hands the new file to whoever owns
   * its folder, the user the other services run as, so that they can read it; mode 0600 keeps
   * everyone else out.
   */
  private static void giveToFolderOwnerIfRoot(Path draft, Path folder) throws IOException {
    boolean createdByRoot = ((Integer) Files.getAttribute(draft, "unix:uid")) == 0;
    PosixFileAttributes owner = Files.readAttributes(folder, PosixFileAttributes.class);
    if (createdByRoot && ((Integer) Files.getAttribute(folder, "unix:uid")) != 0) {
      PosixFileAttributeView view = Files.getFileAttributeView(draft, PosixFileAttributeView.class);
      view.setOwner(owner.owner());
      view.setGroup(owner.group());
    }
  }
}
