package dev.ccc.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.deploy.ConfigurationTable.Setting;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against what the services read (the README's configuration table), what the
 * build makes (the images) and what the services serve (ports, health paths). No Docker engine is
 * needed: the file is read as YAML and its ${...} references are resolved to their defaults, as
 * Compose does with nothing set.
 */
class ComposeFileTest {
  /** Variables the compose file itself reads; docs/deploy.md describes them. */
  private static final Set<String> COMPOSE_VARIABLES =
      Set.of("CCC_PUBLISH_ADDRESS", "CCC_IMAGE_PREFIX", "CCC_IMAGE_TAG");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*))?}");

  private final Map<String, Object> compose = Repository.yaml("docker-compose.yml");
  private final Map<String, Setting> settings = ConfigurationTable.read();
  private final Map<String, ServiceImages.Image> images = ServiceImages.read();

  @Test
  void theThreeServicesRunTheImagesTheBuildMakes() {
    assertEquals(Services.ALL, services().keySet());
    for (String service : Services.ALL) {
      assertEquals(
          images.get(service).reference(),
          resolve((String) service(service).get("image")),
          service + "'s image");
    }
  }

  @Test
  void onlyTheWebEntryPointsArePublishedAndOnlyOnLoopbackByDefault() {
    assertFalse(service(Services.PTY).containsKey("ports"), "the pty-service publishes nothing");
    for (Map.Entry<String, Integer> web : Services.WEB_PORT.entrySet()) {
      List<?> ports = (List<?>) service(web.getKey()).get("ports");
      assertEquals(1, ports.size(), web.getKey() + " publishes one port");
      String[] mapping = resolve((String) ports.get(0)).split(":");
      assertEquals("127.0.0.1", mapping[0], web.getKey() + " publishes on loopback by default");
      assertEquals(String.valueOf(web.getValue()), mapping[1]);
      assertEquals(String.valueOf(web.getValue()), mapping[2]);
      assertTrue(images.get(web.getKey()).ports().contains(web.getValue()));
      String portVariable = web.getKey().equals(Services.API) ? "CCC_API_PORT" : "CCC_GATEWAY_PORT";
      assertEquals(
          Optional.of(String.valueOf(web.getValue())),
          settings.get(portVariable).defaultValue(),
          "the container listens on the README's default port");
    }
    for (Object definition : services().values()) {
      assertFalse(((Map<?, ?>) definition).containsKey("network_mode"));
      assertFalse(((Map<?, ?>) definition).containsKey("expose"));
    }
  }

  @Test
  void stateLivesInNamedVolumesWhereTheImagesKeepIt() {
    Set<String> dataVolumes = new HashSet<>();
    for (String service : List.of(Services.API, Services.PTY)) {
      String dataDir = images.get(service).environment().get("CCC_DATA_DIR");
      assertEquals("/data", dataDir, service + "'s image keeps its state in /data");
      String volume = mounts(service).get(dataDir);
      assertNotNull(volume, service + " mounts a volume on its data folder");
      assertTrue(dataVolumes.add(volume), "each keeps its own state: " + volume);
    }
    assertFalse(mounts(Services.GATEWAY).containsKey("/data"), "the gateway keeps no state");
    Set<String> used = new HashSet<>(dataVolumes);
    used.add(busKeyVolume());
    assertEquals(volumes(), used, "every named volume is used");
  }

  @Test
  void theThreeShareOneBusKeyOnAVolumeOfItsOwnThatTheImagesUserOwns() {
    String folder = busKeyFolder();
    for (String service : Services.ALL) {
      assertEquals(
          busKeyVolume(), mounts(service).get(folder), service + " mounts the key's volume");
    }
    // A fresh named volume takes the owner of the image's folder it is mounted on.
    String owned = "install -d -o 10001 -g 10001 -m 0700 /data " + folder + "\n";
    assertTrue(Repository.read("deploy/images/Dockerfile").contains(owned), "the bases' recipe");
    assertTrue(
        Repository.read("deploy/images/smoke-test.sh")
            .contains("install -d -o 10001 -g 10001 -m 0700 \"$root/data\" \"$root" + folder),
        "the smoke test's base");
  }

  @Test
  void everyVariableIsASettingOfTheServiceThatGetsIt() {
    for (String service : Services.ALL) {
      Set<String> readable = ConfigurationTable.of(settings, service);
      for (String name : environment(service).keySet()) {
        assertTrue(readable.contains(name), service + " does not read " + name);
      }
      for (String name : images.get(service).environment().keySet()) {
        assertTrue(readable.contains(name), service + "'s image sets " + name + ", never read");
      }
    }
  }

  @Test
  void passedThroughVariablesDefaultToWhatTheReadmeSays() {
    List<String> references = new ArrayList<>();
    for (String service : Services.ALL) {
      references.add((String) service(service).get("image"));
      environment(service).values().stream().filter(Objects::nonNull).forEach(references::add);
      ((List<?>) service(service).getOrDefault("ports", List.of()))
          .forEach(port -> references.add((String) port));
    }
    for (String text : references) {
      Matcher reference = REFERENCE.matcher(text);
      while (reference.find()) {
        String name = reference.group(1);
        String fallback = reference.group(2) == null ? "" : reference.group(2);
        if (COMPOSE_VARIABLES.contains(name)) {
          continue;
        }
        Setting setting = settings.get(name);
        assertNotNull(setting, name + " is neither a setting nor one of the compose file's own");
        // A blank value reads as "not set" only where the setting is optional; a setting with a
        // default gets exactly that default.
        assertEquals(setting.defaultValue().orElse(""), fallback, name + "'s default");
      }
    }
  }

  @Test
  void podmanCompose103ReadsEveryReference() {
    // It leaves ${NAME:-} (an empty default) as literal text; a bare key passes a value through.
    assertFalse(
        Repository.read("docker-compose.yml").matches("(?s).*\\$\\{[A-Z_]+:?-}.*"),
        "an empty default in docker-compose.yml");
  }

  @Test
  void theServicesThatLeaveTheClusterLastGetTimeToStop() {
    // Stopped after a peer, Hazelcast waits for the partitions it holds; the default 10 s is cut
    // short by a kill.
    for (String service : List.of(Services.API, Services.PTY)) {
      assertEquals("30s", service(service).get("stop_grace_period"), service);
    }
  }

  @Test
  void noSecretIsWrittenIntoTheFile() {
    for (String service : Services.ALL) {
      environment(service)
          .forEach(
              (name, value) -> {
                if (name.contains("PASSWORD") || name.equals("CCC_DATABASE_URL")) {
                  assertNull(value, name + " only passes through");
                }
              });
    }
  }

  @Test
  void theMembersFindEachOtherByServiceName() {
    for (String service : Services.ALL) {
      Map<String, String> environment = environment(service);
      assertEquals(
          Services.ALL,
          Set.of(environment.get("CCC_CLUSTER_MEMBERS").split(",")),
          service + "'s members");
      assertEquals(service, environment.get("CCC_CLUSTER_HOST"), service + " announces its name");
      assertEquals("1", environment.get("CCC_CLUSTER_PORT_COUNT"));
      assertEquals(
          resolve(environment(Services.API).get("CCC_CLUSTER_NAME")),
          resolve(environment.get("CCC_CLUSTER_NAME")));
    }
    Map<?, ?> networks = (Map<?, ?>) compose.get("networks");
    assertEquals(1, networks.size(), "one network");
    for (String service : Services.ALL) {
      assertEquals(List.copyOf(networks.keySet()), service(service).get("networks"));
    }
  }

  @Test
  void eachServiceWaitsForTheHealthOfWhatItNeeds() {
    Map<String, String> dependsOn =
        Map.of(Services.API, Services.PTY, Services.GATEWAY, Services.API);
    assertFalse(service(Services.PTY).containsKey("depends_on"), "the pty-service starts first");
    dependsOn.forEach(
        (service, dependency) -> {
          Map<?, ?> dependencies = (Map<?, ?>) service(service).get("depends_on");
          assertEquals(Set.of(dependency), dependencies.keySet(), service + "'s dependencies");
          assertEquals(
              "service_healthy", ((Map<?, ?>) dependencies.get(dependency)).get("condition"));
        });
  }

  @Test
  void healthChecksAskTheReadinessEndpointsTheServicesServe() {
    for (String service : Services.ALL) {
      Map<?, ?> check = (Map<?, ?>) service(service).get("healthcheck");
      List<?> test = (List<?>) check.get("test");
      assertEquals("CMD", test.get(0));
      assertEquals("curl", test.get(1), "curl is in both base images (jvm-packages.txt)");
      assertEquals("-fsS", test.get(2), "curl fails on an HTTP error status, quietly");
      URI url = URI.create((String) test.get(test.size() - 1));
      assertEquals("127.0.0.1", url.getHost());
      Set<String> paths = Services.HEALTH.get(service).get(url.getPort());
      assertNotNull(paths, service + " serves no health on port " + url.getPort());
      assertTrue(paths.contains(url.getPath()), service + " serves no " + url.getPath());
      assertTrue(url.getPath().endsWith("/ready"), service + " is healthy once ready");
      assertTrue(Repository.read("deploy/images/jvm-packages.txt").contains("\ncurl\n"));
    }
  }

  @Test
  void containersHaveAReadOnlyRootNoCapabilitiesBeyondThePtyServicesSixAndRestart() {
    for (String service : Services.ALL) {
      Map<String, Object> definition = service(service);
      assertEquals(true, definition.get("read_only"), service);
      assertEquals(List.of("/tmp"), definition.get("tmpfs"), service);
      assertEquals("unless-stopped", definition.get("restart"), service);
      assertFalse(definition.containsKey("user"), service + " runs as its image's user");
      assertFalse(definition.containsKey("privileged"), service);
      assertEquals(List.of("ALL"), definition.get("cap_drop"), service);
      assertTrue(
          ((List<?>) definition.get("security_opt")).contains("no-new-privileges:true"), service);
      if (!service.equals(Services.PTY)) {
        assertFalse(definition.containsKey("cap_add"), service);
        assertEquals(1, ((List<?>) definition.get("security_opt")).size(), service);
      }
    }
  }

  @Test
  void thePtyServiceGetsWhatItsSandboxesNeedAndNothingMore() {
    Map<String, Object> pty = service(Services.PTY);
    assertEquals(
        List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETUID"), pty.get("cap_add"));
    List<?> options = (List<?>) pty.get("security_opt");
    assertEquals(
        Set.of(
            "no-new-privileges:true",
            "seccomp=./deploy/seccomp/pty-service.json",
            "apparmor=unconfined",
            "systempaths=unconfined"),
        Set.copyOf(options));
    // The profile is JSON that the runtime accepts: everything allowed but the listed calls.
    Map<String, Object> profile = Repository.yaml("deploy/seccomp/pty-service.json");
    assertEquals("SCMP_ACT_ALLOW", profile.get("defaultAction"));
    for (Object rule : (List<?>) profile.get("syscalls")) {
      assertEquals("SCMP_ACT_ERRNO", ((Map<?, ?>) rule).get("action"));
    }
  }

  @Test
  void theFileDocumentsItsOwnVariables() {
    String deployDoc = Repository.read("docs/deploy.md");
    for (String name : COMPOSE_VARIABLES) {
      assertTrue(deployDoc.contains("`" + name + "`"), "docs/deploy.md explains " + name);
    }
  }

  private Map<String, Object> services() {
    return (Map<String, Object>) compose.get("services");
  }

  private Map<String, Object> service(String name) {
    return (Map<String, Object>) services().get(name);
  }

  /** The named volumes the file declares. */
  private Set<String> volumes() {
    return ((Map<String, ?>) compose.get("volumes")).keySet();
  }

  /** The named volume on {@code CCC_BUS_KEY_FILE}'s folder, which every service is given. */
  private String busKeyVolume() {
    String volume = mounts(Services.PTY).get(busKeyFolder());
    assertNotNull(volume, "the bus key is on a volume");
    assertTrue(volumes().contains(volume), volume + " is a named volume");
    return volume;
  }

  private String busKeyFolder() {
    Set<String> files = new HashSet<>();
    for (String service : Services.ALL) {
      files.add(environment(service).get("CCC_BUS_KEY_FILE"));
    }
    assertEquals(1, files.size(), "every service is told where the one bus key is: " + files);
    String file = files.iterator().next();
    assertNotNull(file);
    return file.substring(0, file.lastIndexOf('/'));
  }

  /** {@code service}'s volume mounts: the folder in the container, and the named volume on it. */
  private Map<String, String> mounts(String service) {
    Map<String, String> mounts = new java.util.LinkedHashMap<>();
    for (Object mount : (List<?>) service(service).getOrDefault("volumes", List.of())) {
      String[] parts = ((String) mount).split(":");
      assertEquals(2, parts.length, service + " mounts " + mount + " read-write, no options");
      assertNull(mounts.put(parts[1], parts[0]), service + " mounts two volumes on " + parts[1]);
    }
    return mounts;
  }

  private Map<String, String> environment(String service) {
    Map<String, String> environment = new java.util.LinkedHashMap<>();
    ((Map<?, ?>) service(service).get("environment"))
        .forEach(
            (name, value) ->
                environment.put((String) name, value == null ? null : String.valueOf(value)));
    return environment;
  }

  /** {@code text} with every ${NAME:-default} replaced by its default, as with nothing set. */
  private static String resolve(String text) {
    return REFERENCE
        .matcher(text)
        .replaceAll(
            match -> Matcher.quoteReplacement(match.group(2) == null ? "" : match.group(2)));
  }
}
