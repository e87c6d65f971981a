package dev.ccc.pty.users;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Unix uid of each user, allocated on first use and recorded in a file, one {@code <uid> <user
 * id>} line each, so that a user keeps their uid (and so the ownership of their files) across
 * restarts. The record is appended under a file lock, so pty-services sharing their data never give
 * one uid to two users. A uid the machine already names in {@code /etc/passwd} or {@code
 * /etc/group} is skipped: it belongs to someone else.
 */
public final class UserIdentities {
  private final Path record;
  private final int firstUid;
  private final Set<Integer> taken;

  // Guarded by this: what the record held when last read.
  private final Map<String, Integer> uids = new HashMap<>();
  private final Map<Integer, String> users = new HashMap<>();

  /**
   * @param record the file of allocated uids, created (mode 0600) on first allocation
   * @param firstUid the uid of the first user
   * @param etc the machine's {@code /etc}, whose passwd and group name uids already in use
   */
  public UserIdentities(Path record, int firstUid, Path etc) throws IOException {
    this.record = record;
    this.firstUid = firstUid;
    this.taken = new HashSet<>();
    taken.addAll(idsIn(etc.resolve("passwd")));
    taken.addAll(idsIn(etc.resolve("group")));
    if (Files.exists(record)) {
      synchronized (this) {
        parse(Files.readString(record, UTF_8));
      }
    }
  }

  /** The uid of {@code user}, allocated now if they have none yet. */
  public synchronized int uidOf(String user) throws IOException {
    Integer known = uids.get(user);
    if (known != null) {
      return known;
    }
    Files.createDirectories(record.getParent());
    try (FileChannel file =
            FileChannel.open(
                record,
                Set.of(
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        FileLock lock = file.lock()) {
      // Another pty-service sharing the data may have added users since this one last read.
      parse(Files.readString(record, UTF_8));
      known = uids.get(user);
      if (known != null) {
        return known;
      }
      int uid = firstUid;
      while (users.containsKey(uid) || taken.contains(uid)) {
        uid++;
      }
      file.write(ByteBuffer.wrap((uid + " " + user + "\n").getBytes(UTF_8)), file.size());
      file.force(true);
      uids.put(user, uid);
      users.put(uid, user);
      return uid;
    }
  }

  /** The user {@code uid} was allocated to, if any. */
  public synchronized Optional<String> userOf(int uid) {
    return Optional.ofNullable(users.get(uid));
  }

  /** Every uid allocated so far. */
  public synchronized Set<Integer> allocated() {
    return Set.copyOf(users.keySet());
  }

  private void parse(String content) {
    for (String line : content.split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length != 2 || !fields[0].matches("[0-9]{1,10}")) {
        continue;
      }
      int uid = Integer.parseInt(fields[0]);
      uids.put(fields[1], uid);
      users.put(uid, fields[1]);
    }
  }

  /** The numeric ids (third field) of a passwd- or group-style file; none if it is missing. */
  private static Set<Integer> idsIn(Path file) {
    Set<Integer> ids = new HashSet<>();
    try {
      if (!Files.exists(file)) {
        return ids;
      }
      for (String line : Files.readAllLines(file, UTF_8)) {
        String[] fields = line.split(":");
        if (fields.length > 2 && fields[2].matches("[0-9]{1,10}")) {
          ids.add(Integer.parseInt(fields[2]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return ids;
  }
}
