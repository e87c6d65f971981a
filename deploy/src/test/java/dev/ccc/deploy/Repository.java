package dev.ccc.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's files, as the tests of the deployment read them. */
final class Repository {
  /** Maven runs the tests in this module's folder, deploy/. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private Repository() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML file that is not a Kubernetes object (compose file, kustomization), as plain maps. */
  static Map<String, Object> yaml(String relative) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(read(relative));
  }
}
