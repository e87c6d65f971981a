package dev.ccc.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusKeyTest {
  @TempDir Path folder;

  @Test
  void theFileIsCccBusKeyFileOrKeysBusKeyInTheDataFolder() {
    assertEquals(Path.of("./data/keys/bus.key"), BusKey.location(Map.<String, String>of()::get));
    assertEquals(
        Path.of("/srv/ccc/keys/bus.key"), BusKey.location(Map.of("CCC_DATA_DIR", "/srv/ccc")::get));
    assertEquals(
        Path.of("/run/ccc/bus.key"),
        BusKey.location(
            Map.of("CCC_DATA_DIR", "/srv/ccc", "CCC_BUS_KEY_FILE", " /run/ccc/bus.key ")::get));
  }

  @Test
  void anAbsentKeyIsGeneratedPrivateAndThenKept() throws Exception {
    Path file = folder.resolve("keys/bus.key");

    byte[] generated = fingerprint(BusKey.load(file));

    assertTrue(Files.size(file) >= BusKey.MIN_BYTES);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(generated, fingerprint(BusKey.load(file)), "the next start reads the same");
    assertEquals(List.of(file), files(file.getParent()), "no draft is left behind");
  }

  @Test
  void servicesStartingTogetherEndWithOneKey() throws Exception {
    Path file = folder.resolve("bus.key");
    int services = 8;
    CyclicBarrier together = new CyclicBarrier(services);
    ExecutorService threads = Executors.newFixedThreadPool(services);
    try {
      List<Future<byte[]>> loaded = new ArrayList<>();
      for (int i = 0; i < services; i++) {
        loaded.add(
            threads.submit(
                () -> {
                  together.await();
                  return fingerprint(BusKey.load(file));
                }));
      }
      List<byte[]> keys = new ArrayList<>();
      for (Future<byte[]> key : loaded) {
        keys.add(key.get());
      }
      for (byte[] key : keys) {
        assertArrayEquals(fingerprint(BusKey.of(Files.readAllBytes(file))), key);
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(List.of(file), files(folder));
  }

  @Test
  void aKeyFileThatIsTooShortStopsTheServiceWithoutShowingIt() throws Exception {
    Path file = folder.resolve("bus.key");
    String tooShort = "only-thirty-one-bytes-of-secret";
    Files.writeString(file, tooShort);

    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> load(file));

    assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
    assertTrue(refused.getMessage().contains("fewer than 32"), refused.getMessage());
    assertFalse(refused.getMessage().contains(tooShort), "the message shows the key");
    assertEquals(tooShort, Files.readString(file), "a key that exists is never replaced");
  }

  @Test
  void aKeyFileThatCannotBeReadStopsTheService() throws Exception {
    Path file = Files.createDirectory(folder.resolve("bus.key"));

    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> load(file));

    assertTrue(refused.getMessage().startsWith("Cannot read the bus key " + file));
  }

  @Test
  void aKeyThatCannotBeCreatedStopsTheService() {
    // Nobody, not even root, makes folders in /proc.
    Path unwritable = Path.of("/proc/self/ccc-test/bus.key");

    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> load(unwritable));

    assertTrue(refused.getMessage().contains("none can be created"), refused.getMessage());
  }

  @Test
  void aKeyGeneratedByRootBelongsToTheOwnerOfItsFolder() throws Exception {
    assumeTrue(
        ((Integer) Files.getAttribute(folder, "unix:uid")) == 0, "only root can give files away");
    Path shared = Files.createDirectory(folder.resolve("shared"));
    Files.setAttribute(shared, "unix:uid", 10001);
    Files.setAttribute(shared, "unix:gid", 10001);

    BusKey.load(shared.resolve("bus.key"));

    Path file = shared.resolve("bus.key");
    assertEquals(10001, Files.getAttribute(file, "unix:uid"));
    assertEquals(10001, Files.getAttribute(file, "unix:gid"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void theKeyIsNeverPartOfItsTextForm() throws Exception {
    Path file = folder.resolve("bus.key");
    Files.writeString(file, "k".repeat(40));

    assertFalse(BusKey.load(file).toString().contains("kkkk"));
  }

  /** What the key makes of a fixed text: equal for equal keys, and nothing of the key itself. */
  private static byte[] fingerprint(BusKey key) {
    return key.mac(Buffer.buffer("fingerprint"), Buffer.buffer());
  }

  private static void load(Path file) {
    BusKey.load(file);
  }

  private static List<Path> files(Path folder) throws Exception {
    try (Stream<Path> listed = Files.list(folder)) {
      return listed.toList();
    }
  }
}
