package dev.ccc.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ccc.deploy.ConfigurationTable.Setting;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest that {@code kubectl apply -k deploy/} applies, loaded with fabric8's Kubernetes
 * model and checked against itself (selectors, references, ports), against what the services serve
 * (probes) and read (settings), and against what the build makes (images).
 */
class KubernetesManifestsTest {
  /** Supplied by the operator, as docs/deploy.md says: the Ingress' certificate, the bus key. */
  private static final Set<String> OPERATOR_SECRETS = Set.of("ccc-tls", "ccc-bus-key");

  private static final String SERVICE_LABEL = "app.kubernetes.io/name";

  private final Map<String, Object> kustomization = Repository.yaml("deploy/kustomization.yaml");
  private final List<HasMetadata> resources = load();
  private final Map<String, ServiceImages.Image> images = ServiceImages.read();
  private final Map<String, Setting> settings = ConfigurationTable.read();

  /** A Deployment or StatefulSet: the pods of one service. */
  private record Workload(String service, HasMetadata resource, PodTemplateSpec template) {
    PodSpec pod() {
      return template.getSpec();
    }

    Container container() {
      assertEquals(1, pod().getContainers().size(), service + " runs one container");
      return pod().getContainers().get(0);
    }

    Map<String, String> labels() {
      return template.getMetadata().getLabels();
    }

    Optional<Integer> port(IntOrString port) {
      return container().getPorts().stream()
          .filter(
              declared ->
                  port.getIntVal() != null
                      ? port.getIntVal().equals(declared.getContainerPort())
                      : port.getStrVal().equals(declared.getName()))
          .map(ContainerPort::getContainerPort)
          .findFirst();
    }
  }

  @Test
  void theKustomizationAppliesEveryManifestAndEachIsAValidKubernetesObject() throws IOException {
    Set<String> listed = new TreeSet<>(strings(kustomization.get("resources")));
    Set<String> present;
    try (Stream<Path> files = Files.list(Repository.path("deploy/kubernetes"))) {
      present =
          files
              .map(file -> "kubernetes/" + file.getFileName())
              .filter(name -> name.endsWith(".yaml"))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(present, listed, "kustomization.yaml lists every manifest");
    Set<String> names = new HashSet<>();
    for (HasMetadata resource : resources) {
      String id = resource.getKind() + "/" + resource.getMetadata().getName();
      assertFalse(
          resource instanceof GenericKubernetesResource, id + " is no kind the model knows");
      assertTrue(names.add(id), id + " is defined twice");
      assertNull(resource.getMetadata().getNamespace(), id + ": the kustomization sets it");
      assertEquals(
          "claude-code-cloud",
          resource.getMetadata().getLabels().get("app.kubernetes.io/part-of"),
          id + " is labelled as part of the product");
      assertNoUnknownFields(resource, id);
    }
    Namespace namespace = only(Namespace.class);
    assertEquals(namespace.getMetadata().getName(), kustomization.get("namespace"));
    assertEquals(
        "privileged",
        namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"),
        "the pty-service's sandboxes need the privileged pod security standard");
    for (String mode : List.of("warn", "audit")) {
      assertEquals(
          "restricted",
          namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/" + mode),
          "whatever breaks the restricted standard is reported");
    }
  }

  @Test
  void workloadsSelectTheirOwnPodsAndServicesSelectPodsWithThePortsTheyForward() {
    assertEquals(Services.ALL, workloads().keySet(), "one workload per service");
    for (Workload workload : workloads().values()) {
      assertSelects(selector(workload.resource()), workload.labels(), workload.service());
      assertEquals(workload.service(), workload.container().getName(), "the container is named so");
    }
    for (Service service : all(Service.class)) {
      String name = service.getMetadata().getName();
      Map<String, String> selector = service.getSpec().getSelector();
      assertFalse(selector == null || selector.isEmpty(), name + " selects pods");
      List<Workload> selected = selectedBy(selector);
      assertFalse(selected.isEmpty(), name + " selects no pods");
      for (ServicePort port : service.getSpec().getPorts()) {
        for (Workload workload : selected) {
          assertTrue(
              workload.port(port.getTargetPort()).isPresent(),
              name + " forwards " + port.getName() + " to a port " + workload.service() + " lacks");
        }
      }
    }
    Workload pty = workloads().get(Services.PTY);
    assertInstanceOf(StatefulSet.class, pty.resource(), "the pty-service is a StatefulSet");
    assertInstanceOf(Deployment.class, workloads().get(Services.API).resource());
    assertInstanceOf(Deployment.class, workloads().get(Services.GATEWAY).resource());
  }

  @Test
  void everyReferenceToAConfigMapSecretVolumeOrServiceResolves() {
    Set<String> configMaps = names(ConfigMap.class);
    Set<String> secrets = names(Secret.class);
    Set<String> claims = names(PersistentVolumeClaim.class);
    for (Workload workload : workloads().values()) {
      Container container = workload.container();
      for (EnvFromSource source : container.getEnvFrom()) {
        if (source.getConfigMapRef() != null) {
          assertTrue(configMaps.contains(source.getConfigMapRef().getName()), workload.service());
        }
        if (source.getSecretRef() != null) {
          assertTrue(secrets.contains(source.getSecretRef().getName()), workload.service());
        }
      }
      for (EnvVar variable : container.getEnv()) {
        if (variable.getValueFrom() != null) {
          assertNotNull(
              variable.getValueFrom().getFieldRef(),
              variable.getName() + ": only the downward API is used for single values");
        }
      }
      Set<String> volumes = new HashSet<>();
      for (Volume volume : workload.pod().getVolumes()) {
        volumes.add(volume.getName());
        if (volume.getPersistentVolumeClaim() != null) {
          assertTrue(
              claims.contains(volume.getPersistentVolumeClaim().getClaimName()),
              workload.service() + " claims a volume nobody defines");
        }
        if (volume.getSecret() != null) {
          String secret = volume.getSecret().getSecretName();
          assertTrue(
              secrets.contains(secret) || OPERATOR_SECRETS.contains(secret),
              workload.service() + " mounts a Secret nobody defines or provides: " + secret);
        }
      }
      if (workload.resource() instanceof StatefulSet set) {
        set.getSpec()
            .getVolumeClaimTemplates()
            .forEach(template -> volumes.add(template.getMetadata().getName()));
        Service governing = named(Service.class, set.getSpec().getServiceName());
        assertEquals("None", governing.getSpec().getClusterIP(), "its Service is headless");
        assertSelects(governing.getSpec().getSelector(), workload.labels(), "its Service");
      }
      for (VolumeMount mount : container.getVolumeMounts()) {
        assertTrue(volumes.contains(mount.getName()), workload.service() + ": " + mount.getName());
      }
    }
    for (Ingress ingress : all(Ingress.class)) {
      for (var rule : ingress.getSpec().getRules()) {
        for (HTTPIngressPath path : rule.getHttp().getPaths()) {
          IngressServiceBackend backend = path.getBackend().getService();
          Service service = named(Service.class, backend.getName());
          assertTrue(
              service.getSpec().getPorts().stream()
                  .anyMatch(port -> Objects.equals(port.getName(), backend.getPort().getName())),
              "the Ingress routes "
                  + path.getPath()
                  + " to a port "
                  + backend.getName()
                  + " lacks");
        }
      }
      ingress
          .getSpec()
          .getTls()
          .forEach(tls -> assertTrue(OPERATOR_SECRETS.contains(tls.getSecretName())));
    }
    for (String secret : OPERATOR_SECRETS) {
      assertTrue(
          Repository.read("docs/deploy.md").contains(secret),
          "docs/deploy.md tells the operator to provide " + secret);
    }
  }

  @Test
  void probesAskTheHealthEndpointsTheServicesServe() {
    for (Workload workload : workloads().values()) {
      Container container = workload.container();
      Map<String, Probe> probes = new HashMap<>();
      probes.put("live", container.getLivenessProbe());
      probes.put("ready", container.getReadinessProbe());
      probes.put("started", container.getStartupProbe());
      probes.forEach(
          (purpose, probe) -> {
            assertNotNull(probe, workload.service() + " has a probe for " + purpose);
            int port =
                workload
                    .port(probe.getHttpGet().getPort())
                    .orElseThrow(() -> new AssertionError(workload.service() + ": probe port"));
            Set<String> served = Services.HEALTH.get(workload.service()).get(port);
            assertNotNull(served, workload.service() + " serves no health on " + port);
            String path = probe.getHttpGet().getPath();
            assertTrue(served.contains(path), workload.service() + " serves no " + path);
            if (!purpose.equals("started")) {
              assertTrue(path.endsWith("/" + purpose), workload.service() + "'s " + purpose);
            }
          });
    }
  }

  @Test
  void imagesAreTheOnesTheBuildMakes() {
    Map<String, String> tags = new HashMap<>();
    for (Object entry : (List<?>) kustomization.get("images")) {
      Map<?, ?> image = (Map<?, ?>) entry;
      tags.put((String) image.get("name"), (String) image.get("newTag"));
    }
    for (Workload workload : workloads().values()) {
      ServiceImages.Image built = images.get(workload.service());
      assertEquals(built.reference(), workload.container().getImage(), workload.service());
      assertEquals(
          built.tag(), tags.get(built.name()), "the kustomization's tag of " + built.name());
      for (ContainerPort port : workload.container().getPorts()) {
        if (Services.HEALTH.get(workload.service()).containsKey(port.getContainerPort())
            || Services.MANAGEMENT_PORT.get(workload.service()).equals(port.getContainerPort())) {
          assertTrue(built.ports().contains(port.getContainerPort()), "the image exposes it");
        }
      }
    }
    assertEquals(images.size(), tags.size(), "one kustomization image per service");
  }

  @Test
  void podsRunUnprivilegedButThePtyServiceWithAReadOnlyRootLimitsAndTheirDataOnAVolume() {
    for (Workload workload : workloads().values()) {
      String service = workload.service();
      var pod = workload.pod().getSecurityContext();
      assertEquals(false, workload.pod().getAutomountServiceAccountToken(), service);
      Container container = workload.container();
      var security = container.getSecurityContext();
      assertEquals(false, security.getAllowPrivilegeEscalation(), service);
      assertEquals(true, security.getReadOnlyRootFilesystem(), service);
      assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), service);
      if (service.equals(Services.PTY)) {
        assertEquals(0L, pod.getRunAsUser(), "the pty-service runs as root, to sandbox users");
        assertEquals(
            List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETUID"),
            security.getCapabilities().getAdd());
        assertEquals("Localhost", pod.getSeccompProfile().getType());
        assertEquals("ccc/pty-service.json", pod.getSeccompProfile().getLocalhostProfile());
        assertEquals("Unmasked", security.getProcMount());
        assertEquals("Unconfined", pod.getAppArmorProfile().getType());
      } else {
        assertEquals(true, pod.getRunAsNonRoot(), service);
        assertEquals(10001L, pod.getRunAsUser(), service);
        assertEquals(10001L, pod.getRunAsGroup(), service);
        assertEquals("RuntimeDefault", pod.getSeccompProfile().getType(), service);
        assertTrue(security.getCapabilities().getAdd().isEmpty(), service);
        assertNull(security.getProcMount(), service);
      }
      for (String kind : List.of("cpu", "memory")) {
        assertNotNull(container.getResources().getRequests().get(kind), service + " requests");
        assertNotNull(container.getResources().getLimits().get(kind), service + " limits");
      }
      Set<String> mounted =
          container.getVolumeMounts().stream()
              .map(VolumeMount::getMountPath)
              .collect(Collectors.toSet());
      assertTrue(mounted.contains("/tmp"), service + " gets a writable /tmp");
      String dataDir = images.get(service).environment().get("CCC_DATA_DIR");
      if (dataDir != null) {
        assertTrue(mounted.contains(dataDir), service + " keeps its data on a volume");
        if (!service.equals(Services.PTY)) {
          assertEquals(10001L, pod.getFsGroup(), service + "'s volume is writable for it");
        }
      }
    }
  }

  @Test
  void settingsAreVariablesTheServicesReadAndOnlyTheApiServiceGetsSecrets() {
    Map<String, ConfigMap> configMaps = new HashMap<>();
    all(ConfigMap.class).forEach(map -> configMaps.put(map.getMetadata().getName(), map));
    Secret secret = only(Secret.class);
    Set<String> readByAny = settings.keySet();
    for (ConfigMap map : configMaps.values()) {
      for (String name : map.getData().keySet()) {
        assertTrue(readByAny.contains(name), name + " is in no service's settings");
      }
    }
    Set<String> apiSettings = ConfigurationTable.of(settings, Services.API);
    for (Map.Entry<String, String> entry : secret.getStringData().entrySet()) {
      assertTrue(apiSettings.contains(entry.getKey()), entry.getKey());
      assertEquals("", entry.getValue(), "the Secret is a template: " + entry.getKey());
    }
    for (Workload workload : workloads().values()) {
      Set<String> readable = ConfigurationTable.of(settings, workload.service());
      for (EnvVar variable : workload.container().getEnv()) {
        assertTrue(readable.contains(variable.getName()), workload.service() + ": " + variable);
      }
      boolean getsSecret =
          workload.container().getEnvFrom().stream().anyMatch(from -> from.getSecretRef() != null);
      assertEquals(workload.service().equals(Services.API), getsSecret, workload.service());
      EnvVar host =
          workload.container().getEnv().stream()
              .filter(variable -> variable.getName().equals("CCC_CLUSTER_HOST"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(workload.service() + " announces no address"));
      assertEquals("status.podIP", host.getValueFrom().getFieldRef().getFieldPath());
    }
  }

  @Test
  void everyPodNeedsTheOperatorsBusKeyAndMountsItReadOnlyWhereItsSettingSays() {
    String file = only(ConfigMap.class).getData().get("CCC_BUS_KEY_FILE");
    assertNotNull(file, "the services are told where the bus key is");
    String folder = file.substring(0, file.lastIndexOf('/'));
    for (Workload workload : workloads().values()) {
      String service = workload.service();
      VolumeMount mount =
          workload.container().getVolumeMounts().stream()
              .filter(candidate -> candidate.getMountPath().equals(folder))
              .findFirst()
              .orElseThrow(() -> new AssertionError(service + " mounts nothing on " + folder));
      assertEquals(true, mount.getReadOnly(), service + " only reads the key");
      Volume volume =
          workload.pod().getVolumes().stream()
              .filter(candidate -> candidate.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow();
      assertNotNull(volume.getSecret(), service + "'s key comes from a Secret");
      assertEquals("ccc-bus-key", volume.getSecret().getSecretName(), service);
      assertNotEquals(true, volume.getSecret().getOptional(), service + " cannot start without it");
      int mode = volume.getSecret().getDefaultMode();
      assertEquals(0440, mode, service + ": readable by its owner and group, nobody else");
      if (!service.equals(Services.PTY)) {
        // The pty-service runs as root, which reads it whatever its group.
        assertEquals(
            10001L,
            workload.pod().getSecurityContext().getFsGroup(),
            service + " is in the group the key's files get");
      }
    }
    assertTrue(Repository.read("docs/deploy.md").contains("--from-literal=bus.key="));
  }

  @Test
  void theMembersFindEachOtherThroughTheHeadlessClusterService() {
    Map<String, String> config = only(ConfigMap.class).getData();
    Service cluster = named(Service.class, config.get("CCC_CLUSTER_DNS"));
    assertEquals("None", cluster.getSpec().getClusterIP(), "headless: one record per pod");
    assertEquals(true, cluster.getSpec().getPublishNotReadyAddresses(), "pods join before ready");
    assertEquals(
        Services.ALL,
        selectedBy(cluster.getSpec().getSelector()).stream()
            .map(Workload::service)
            .collect(Collectors.toSet()),
        "every service's pods are members");
    Map<String, Integer> ports = new HashMap<>();
    cluster.getSpec().getPorts().forEach(port -> ports.put(port.getName(), port.getPort()));
    assertEquals(Integer.valueOf(config.get("CCC_CLUSTER_PORT")), ports.get("hazelcast"));
    assertEquals(Integer.valueOf(config.get("CCC_BUS_PORT")), ports.get("event-bus"));
    assertEquals("1", config.get("CCC_CLUSTER_PORT_COUNT"));
    for (Workload workload : workloads().values()) {
      assertEquals(
          Optional.of(ports.get("hazelcast")),
          workload.port(new IntOrString("hazelcast")),
          workload.service());
      assertEquals(
          Optional.of(ports.get("event-bus")),
          workload.port(new IntOrString("event-bus")),
          workload.service());
    }
  }

  @Test
  void onlyMembersReachClusterPortsAndOnlyTheApiServiceAndGatewaysThePtyServicesBus() {
    Map<String, NetworkPolicy> policies = new HashMap<>();
    for (NetworkPolicy policy : all(NetworkPolicy.class)) {
      List<Workload> guarded = selectedBy(policy.getSpec().getPodSelector().getMatchLabels());
      assertEquals(1, guarded.size(), policy.getMetadata().getName() + " guards one service");
      assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
      policies.put(guarded.get(0).service(), policy);
    }
    assertEquals(Services.ALL, policies.keySet(), "every service is guarded");
    for (Workload workload : workloads().values()) {
      Map<String, Set<String>> reachers = reachers(workload, policies.get(workload.service()));
      for (ContainerPort port : workload.container().getPorts()) {
        assertTrue(
            reachers.containsKey(port.getName()),
            workload.service() + "'s " + port.getName() + " port is reachable by no one");
      }
      assertEquals(Services.ALL, reachers.get("hazelcast"), workload.service() + "'s Hazelcast");
      assertEquals(Set.of("monitoring"), reachers.get("management"), workload.service());
      Integer web = Services.WEB_PORT.get(workload.service());
      for (ContainerPort port : workload.container().getPorts()) {
        boolean open = reachers.get(port.getName()).contains("anyone");
        assertEquals(
            Objects.equals(web, port.getContainerPort()),
            open,
            workload.service() + "'s " + port.getName() + " open to anyone");
      }
    }
    assertEquals(
        Set.of(Services.API, Services.GATEWAY),
        reachers(workloads().get(Services.PTY), policies.get(Services.PTY)).get("event-bus"),
        "only the api-service and the gateways reach the pty-service's bus");
  }

  @Test
  void theIngressSendsTheWebSocketToTheGatewaysAndTheRestToTheApiService() {
    Ingress ingress = only(Ingress.class);
    assertEquals(1, ingress.getSpec().getRules().size());
    var rule = ingress.getSpec().getRules().get(0);
    Map<String, String> routes = new HashMap<>();
    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
      routes.put(path.getPath(), path.getBackend().getService().getName());
    }
    assertEquals(Map.of("/ws", Services.GATEWAY, "/", Services.API), routes);
    Map<String, String> config = only(ConfigMap.class).getData();
    assertEquals("https://" + rule.getHost(), config.get("CCC_GATEWAY_ALLOWED_ORIGINS"));
    assertEquals("wss://{hostname}/ws", config.get("CCC_GATEWAY_PUBLIC_URL"));
    assertEquals(List.of(rule.getHost()), ingress.getSpec().getTls().get(0).getHosts());
  }

  /**
   * By port name of {@code workload}: who {@code policy} lets in, as service names, "monitoring"
   * for the monitoring namespace, or "anyone".
   */
  private Map<String, Set<String>> reachers(Workload workload, NetworkPolicy policy) {
    Map<String, Set<String>> reachers = new HashMap<>();
    for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
      Set<String> from = new HashSet<>();
      if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
        from.add("anyone");
      } else {
        for (NetworkPolicyPeer peer : rule.getFrom()) {
          if (peer.getNamespaceSelector() != null) {
            assertNull(peer.getPodSelector(), "a namespace, any pod in it");
            assertEquals(
                Map.of("kubernetes.io/metadata.name", "monitoring"),
                peer.getNamespaceSelector().getMatchLabels());
            from.add("monitoring");
          } else {
            List<Workload> peers = selectedBy(peer.getPodSelector().getMatchLabels());
            assertFalse(peers.isEmpty(), "a rule of " + workload.service() + " names no pods");
            peers.forEach(selected -> from.add(selected.service()));
          }
        }
      }
      for (NetworkPolicyPort port : rule.getPorts()) {
        String name = port.getPort().getStrVal();
        assertNotNull(name, "policies name ports, so that they follow the containers");
        assertTrue(
            workload.port(port.getPort()).isPresent(), workload.service() + " has no " + name);
        reachers.computeIfAbsent(name, key -> new HashSet<>()).addAll(from);
      }
    }
    return reachers;
  }

  private Map<String, Workload> workloads() {
    Map<String, Workload> workloads = new HashMap<>();
    for (HasMetadata resource : resources) {
      PodTemplateSpec template =
          resource instanceof Deployment deployment
              ? deployment.getSpec().getTemplate()
              : resource instanceof StatefulSet set ? set.getSpec().getTemplate() : null;
      if (template != null) {
        String service = template.getMetadata().getLabels().get(SERVICE_LABEL);
        assertTrue(Services.ALL.contains(service), resource.getMetadata().getName());
        assertNull(workloads.put(service, new Workload(service, resource, template)), service);
      }
    }
    return workloads;
  }

  private List<Workload> selectedBy(Map<String, String> selector) {
    return workloads().values().stream()
        .filter(workload -> workload.labels().entrySet().containsAll(selector.entrySet()))
        .toList();
  }

  private static Map<String, String> selector(HasMetadata workload) {
    LabelSelector selector =
        workload instanceof Deployment deployment
            ? deployment.getSpec().getSelector()
            : ((StatefulSet) workload).getSpec().getSelector();
    assertNull(selector.getMatchExpressions().isEmpty() ? null : "expressions", "labels only");
    return selector.getMatchLabels();
  }

  private static void assertSelects(
      Map<String, String> selector, Map<String, String> labels, String what) {
    assertFalse(selector.isEmpty(), what + " selects by labels");
    assertTrue(labels.entrySet().containsAll(selector.entrySet()), what + " selects its pods");
  }

  private <T extends HasMetadata> List<T> all(Class<T> kind) {
    return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private <T extends HasMetadata> T only(Class<T> kind) {
    List<T> found = all(kind);
    assertEquals(1, found.size(), "one " + kind.getSimpleName());
    return found.get(0);
  }

  private <T extends HasMetadata> T named(Class<T> kind, String name) {
    return all(kind).stream()
        .filter(resource -> resource.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  private <T extends HasMetadata> Set<String> names(Class<T> kind) {
    return all(kind).stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
  }

  private List<HasMetadata> load() {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<HasMetadata> loaded = new ArrayList<>();
    for (String file : strings(kustomization.get("resources"))) {
      Object parsed = serialization.unmarshal(Repository.read("deploy/" + file));
      if (parsed instanceof Collection<?> documents) {
        documents.forEach(document -> loaded.add((HasMetadata) document));
      } else {
        loaded.add((HasMetadata) parsed);
      }
    }
    return loaded;
  }

  private static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String.class::cast).toList();
  }

  /**
   * Fails on any field the model does not know: fabric8 keeps those aside instead of refusing them,
   * so a misspelt field would otherwise pass, and Kubernetes would refuse or ignore it.
   */
  private static void assertNoUnknownFields(Object object, String path) {
    if (object == null || !object.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : object.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(object);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      String field = path + "." + getter.getName().substring(3);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
          fail(path + " has fields the Kubernetes model does not know: " + unknown.keySet());
        }
      } else if (value instanceof Collection<?> items) {
        items.forEach(item -> assertNoUnknownFields(item, field));
      } else if (value instanceof Map<?, ?> entries) {
        entries.values().forEach(item -> assertNoUnknownFields(item, field));
      } else {
        assertNoUnknownFields(value, field);
      }
    }
  }
}
