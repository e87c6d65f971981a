package dev.ccc.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/images/Dockerfile, the recipe of the bases Jib builds on, against the build and the
 * deployments. No Docker engine here: this reads the recipe; smoke-test.sh installs its package
 * lists into a base of its own and runs the images on it.
 */
class BaseImagesTest {
  private final String dockerfile = Repository.read("deploy/images/Dockerfile");
  private final String parentPom = Repository.read("pom.xml");

  @Test
  void thePtyBaseIsTheJvmBaseWithTheAgentsTools() {
    assertTrue(dockerfile.contains("\nFROM ${DEBIAN_IMAGE} AS jvm\n"), "a jvm stage");
    assertTrue(dockerfile.contains("\nFROM jvm AS pty\n"), "the pty stage builds on it");
    Set<String> packages = packages("pty-packages.txt");
    assertTrue(
        packages.containsAll(Set.of("tini", "bash", "git", "ripgrep", "jq", "python3")),
        "the agents' tools: " + packages);
    assertTrue(packages("jvm-packages.txt").contains("curl"), "for the containers' health checks");
    for (String list : Set.of("jvm-packages.txt", "pty-packages.txt")) {
      assertTrue(dockerfile.contains("COPY " + list + " /tmp/" + list), list + " installed");
      assertTrue(
          Repository.read("deploy/images/smoke-test.sh").contains(list),
          "the smoke test's base has " + list + " too");
    }
  }

  @Test
  void nodeIs22OrNewerAndTheAgentCliVersionsArePinned() {
    Matcher node = Pattern.compile("ARG NODE_IMAGE=node:(\\d+)-").matcher(dockerfile);
    assertTrue(node.find(), "Node.js comes from its official image");
    assertTrue(Integer.parseInt(node.group(1)) >= 22, "the agent CLIs need Node.js 22");
    for (String cli : Set.of("CLAUDE_CODE_VERSION", "CODEX_VERSION")) {
      assertTrue(
          Pattern.compile("ARG " + cli + "=\\d+\\.\\d+\\.\\d+\n").matcher(dockerfile).find(),
          cli + " is an exact version");
    }
    assertTrue(dockerfile.contains("\"@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}\""));
    assertTrue(dockerfile.contains("\"@openai/codex@${CODEX_VERSION}\""));
  }

  @Test
  void theBasesMakeTheUserTheServicesRunAsOwnerOfDataAndThePtyServiceRunsAsRoot() {
    assertTrue(dockerfile.contains("useradd --uid 10001 --gid 10001"));
    assertTrue(dockerfile.contains("install -d -o 10001 -g 10001 -m 0700 /data"));
    assertTrue(
        parentPom.contains("<ccc.image.user>10001:10001</ccc.image.user>"),
        "Jib runs the services as 10001");
    assertTrue(
        Repository.read("pty-service/pom.xml").contains("<ccc.image.user>0:0</ccc.image.user>"),
        "the pty-service runs as root, to give users uids of their own");
    assertTrue(
        Repository.read("pty-service/pom.xml").contains("<arg>/usr/bin/tini</arg>"),
        "tini is the pty-service's PID 1");
  }

  @Test
  void theBuildLooksForTheBasesUnderTheNamesTheRecipeGivesThem() {
    for (String target : Set.of("jvm", "pty")) {
      Matcher built =
          Pattern.compile("docker build --target " + target + " -t (\\S+) deploy/images")
              .matcher(dockerfile);
      assertTrue(built.find(), "the Dockerfile says how to build " + target);
      assertTrue(
          parentPom.contains(
              "<ccc.image." + target + "-base>docker://" + built.group(1) + "</ccc.image."),
          "the build's default " + target + " base is " + built.group(1));
      assertTrue(
          Repository.read("docs/deploy.md").contains(built.group(0)),
          "docs/deploy.md gives the command that builds " + target);
    }
  }

  private static Set<String> packages(String list) {
    return Arrays.stream(Repository.read("deploy/images/" + list).split("\n"))
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .collect(Collectors.toSet());
  }

  @Test
  void everyPackageListEntryIsOnePackageName() {
    for (String list : Set.of("jvm-packages.txt", "pty-packages.txt")) {
      for (String name : packages(list)) {
        assertEquals(name.trim(), name, list);
        assertTrue(name.matches("[a-z0-9][a-z0-9+.-]+"), list + ": " + name);
      }
    }
  }
}
