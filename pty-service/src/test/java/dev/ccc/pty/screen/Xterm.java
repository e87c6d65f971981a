package dev.ccc.pty.screen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * xterm.js, the browser's terminal, run by Node on the script {@code src/test/node/render.mjs}:
 * renders cases of output and describes the screens it gets, for comparison with {@link Screen}'s.
 * The Maven build installs its package ({@code npm ci} in that folder); tests of other modules name
 * the folder with the system property {@code ccc.screen-reference}.
 */
public final class Xterm {
  private static final Path SCRIPT_FOLDER =
      Path.of(System.getProperty("ccc.screen-reference", "src/test/node")).toAbsolutePath();

  private Xterm() {}

  /** Output to render, step by step: bytes written or a resize. */
  public static final class Case {
    final String name;
    final int cols;
    final int rows;
    final int scrollback;
    final List<Object> steps = new ArrayList<>();
    private JsonObject snapshot;

    public Case(String name, int cols, int rows, int scrollback) {
      this.name = name;
      this.cols = cols;
      this.rows = rows;
      this.scrollback = scrollback;
    }

    public Case write(byte[] bytes) {
      steps.add(bytes);
      return this;
    }

    public Case write(String text) {
      return write(text.getBytes(StandardCharsets.UTF_8));
    }

    public String name() {
      return name;
    }

    public Case resize(int newCols, int newRows) {
      steps.add(new int[] {newCols, newRows});
      return this;
    }

    /**
     * Also renders {@code bytes}, drawn at this size after the first {@code at} steps, then the
     * rest.
     */
    public Case snapshot(int at, int snapshotCols, int snapshotRows, byte[] bytes) {
      snapshot =
          new JsonObject()
              .put("at", at)
              .put("cols", snapshotCols)
              .put("rows", snapshotRows)
              .put("bytes", Base64.getEncoder().encodeToString(bytes));
      return this;
    }

    /** This case's steps applied to {@code screen}, from step {@code from} on. */
    public void applyTo(Screen screen, int from) {
      for (Object step : steps.subList(from, steps.size())) {
        if (step instanceof byte[] bytes) {
          screen.feed(bytes, 0, bytes.length);
        } else {
          int[] size = (int[]) step;
          screen.resize(size[0], size[1]);
        }
      }
    }

    JsonObject toJson() {
      JsonArray json = new JsonArray();
      for (Object step : steps) {
        if (step instanceof byte[] bytes) {
          json.add(new JsonObject().put("w", Base64.getEncoder().encodeToString(bytes)));
        } else {
          int[] size = (int[]) step;
          json.add(new JsonObject().put("r", new JsonArray().add(size[0]).add(size[1])));
        }
      }
      return new JsonObject()
          .put("name", name)
          .put("cols", cols)
          .put("rows", rows)
          .put("scrollback", scrollback)
          .put("steps", json)
          .put("snapshot", snapshot);
    }
  }

  /** Renders every case; returns, in order, {@code {name, raw, fromSnapshot?}} for each. */
  public static List<JsonObject> render(List<Case> cases, Path workFolder) throws IOException {
    Path input = workFolder.resolve("cases.json");
    Path output = workFolder.resolve("screens.json");
    Path errors = workFolder.resolve("errors.txt");
    JsonArray json = new JsonArray();
    cases.forEach(c -> json.add(c.toJson()));
    Files.writeString(input, json.encode());
    Process node =
        new ProcessBuilder("node", SCRIPT_FOLDER.resolve("render.mjs").toString(), input.toString())
            .directory(SCRIPT_FOLDER.toFile())
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    try {
      if (!node.waitFor(5, TimeUnit.MINUTES)) {
        node.destroyForcibly();
        throw new IOException("node did not finish rendering");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (node.exitValue() != 0) {
      String error = Files.readString(errors);
      // Node prints the minified line an error happened on first; its message comes last.
      throw new IOException(
          "node render.mjs failed (did the build run npm ci in src/test/node?): "
              + error.substring(Math.max(0, error.length() - 2000)));
    }
    JsonArray results = new JsonArray(Files.readString(output));
    List<JsonObject> list = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      list.add(results.getJsonObject(i));
    }
    return list;
  }
}
