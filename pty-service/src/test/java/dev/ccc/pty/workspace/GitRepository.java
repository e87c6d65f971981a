package dev.ccc.pty.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real git repository for tests to clone: {@code main} with two commits, {@code feature}. */
public final class GitRepository {
  private final Path directory;

  private GitRepository(Path directory) {
    this.directory = directory;
  }

  /** Creates the repository in {@code directory}, which must not exist yet. */
  public static GitRepository create(Path directory) throws Exception {
    Files.createDirectories(directory);
    GitRepository repository = new GitRepository(directory);
    repository.git("init", "--quiet", "--initial-branch=main");
    Files.writeString(directory.resolve("first.txt"), "first\n");
    repository.git("add", "first.txt");
    repository.git("commit", "--quiet", "-m", "first");
    Files.writeString(directory.resolve("second.txt"), "second\n");
    repository.git("add", "second.txt");
    repository.git("commit", "--quiet", "-m", "second");
    repository.git("checkout", "--quiet", "-b", "feature");
    Files.writeString(directory.resolve("feature.txt"), "feature\n");
    repository.git("add", "feature.txt");
    repository.git("commit", "--quiet", "-m", "feature");
    repository.git("checkout", "--quiet", "main");
    return repository;
  }

  public String fileUrl() {
    return directory.toUri().toString();
  }

  /** Runs git in {@code directory} with a fixed identity and no user configuration; its stdout. */
  public static String git(Path directory, String... arguments) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().put("HOME", directory.toString());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("git " + command + " hangs");
    }
    assertEquals(0, process.exitValue(), "git " + command + ": " + output);
    return output.strip();
  }

  private void git(String... arguments) throws Exception {
    git(directory, arguments);
  }
}
