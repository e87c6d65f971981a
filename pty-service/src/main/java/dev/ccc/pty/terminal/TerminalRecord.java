package dev.ccc.pty.terminal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;

/**
 * What the service must know of a terminal to bring it back after a restart, as a cold tab: whose
 * it is, in which session and workspace folder, what it runs, its name and size. Kept as {@value
 * #FILE} next to the terminal's output log, in a folder only the service can read.
 *
 * @param name what its tab is called; null: none given
 */
public record TerminalRecord(
    UUID id,
    UUID session,
    String owner,
    UUID workspace,
    String profile,
    String name,
    int cols,
    int rows) {
  static final String FILE = "terminal.json";

  public TerminalRecord withName(String newName) {
    return new TerminalRecord(id, session, owner, workspace, profile, newName, cols, rows);
  }

  public TerminalRecord withSize(int newCols, int newRows) {
    return new TerminalRecord(id, session, owner, workspace, profile, name, newCols, newRows);
  }

  /** Writes the record into {@code folder} (made if missing), replacing the one there at once. */
  void write(Path folder) throws IOException {
    Files.createDirectories(
        folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path written = folder.resolve(FILE + ".new");
    Files.writeString(written, toJson().encode(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
    Files.move(written, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The record in {@code folder}, or empty when there is none or it cannot be read. */
  static Optional<TerminalRecord> read(Path folder) {
    Path file = folder.resolve(FILE);
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      TerminalRecord record =
          new TerminalRecord(
              UUID.fromString(json.getString("id")),
              UUID.fromString(json.getString("session")),
              json.getString("owner"),
              UUID.fromString(json.getString("workspace")),
              json.getString("profile"),
              json.getString("name"),
              json.getInteger("cols"),
              json.getInteger("rows"));
      if (!record.id.toString().equals(folder.getFileName().toString())
          || record.owner == null
          || record.profile == null) {
        return Optional.empty();
      }
      return Optional.of(record);
    } catch (IOException
        | DecodeException
        | ClassCastException
        | NullPointerException
        | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("session", session.toString())
        .put("owner", owner)
        .put("workspace", workspace.toString())
        .put("profile", profile)
        .put("name", name)
        .put("cols", cols)
        .put("rows", rows);
  }
}
