package dev.ticketoffload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.server.cli.ServeCommand;
import dev.ticketoffload.server.cli.ServeOptions;
import dev.ticketoffload.server.grpc.TicketServer;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NodeSelectorRequirement;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * deploy/kubernetes: every document is a valid object of the Kubernetes API, and the manifests agree
 * with the image (ports, user, paths) and with ticketd serve (flags that exist and parse, probe
 * service names, the files the flags name lie on the mounts).
 */
class ManifestsTest {

  static List<Manifests.Document> documents;
  static V1Deployment deployment;
  static V1PodSpec pod;
  static V1Container ticketd;
  static Map<String, String> flags;

  @BeforeAll
  static void load() throws Exception {
    documents = Manifests.all();
    deployment = Manifests.only(documents, V1Deployment.class);
    pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).hasSize(1);
    ticketd = pod.getContainers().getFirst();
    flags = new LinkedHashMap<>();
    for (String arg : ticketd.getArgs().subList(1, ticketd.getArgs().size())) {
      int eq = arg.indexOf('=');
      flags.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
  }

  private static Set<String> serveFlags() {
    return new CommandLine(new ServeCommand()).getCommandSpec().options().stream()
        .flatMap(o -> Set.of(o.names()).stream()).collect(Collectors.toSet());
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static int containerPort(String name) {
    return ticketd.getPorts().stream().filter(p -> name.equals(p.getName())).map(V1ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  private static V1VolumeMount mountHolding(String file) {
    return ticketd.getVolumeMounts().stream().filter(m -> Path.of(file).getParent().equals(Path.of(m.getMountPath())))
        .findFirst().orElseThrow(() -> new AssertionError(file + " is on no volume mount"));
  }

  private static V1Volume volume(String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyDocument_isAValidKubernetesObject_ofAKnownKind() {
    assertThat(documents).extracting(Manifests.Document::apiVersionKind)
        .containsExactlyInAnyOrder("apps/v1/Deployment", "v1/Service", "policy/v1/PodDisruptionBudget", "v1/ConfigMap");
  }

  @Test
  void theValidator_refusesAnUnknownField_aMissingRequiredOne_andAWrongType() {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Path file = Path.of("broken.yaml");
    assertThatThrownBy(() -> Manifests.check(file, yaml.load(
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: x}\nspec: {minAvailabel: 2}\n")))
        .hasMessageContaining("minAvailabel");
    assertThatThrownBy(() -> Manifests.check(file, yaml.load(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {}}\n")))
        .hasMessageContaining("selector");
    assertThatThrownBy(() -> Manifests.check(file, yaml.load(
        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 1, name: [a]}]}\n")))
        .hasMessageContaining("name");
    assertThatThrownBy(() -> Manifests.check(file, yaml.load("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n")))
        .hasMessageContaining("unexpected kind");
  }

  @Test
  void everyFlagAndTicketdVariable_existsInTicketdServe_andTheArgumentsParse() {
    assertThat(ticketd.getArgs().getFirst()).isEqualTo("serve");
    Set<String> known = serveFlags();
    List<String> used = new ArrayList<>(flags.keySet());
    for (V1EnvVar env : ticketd.getEnv()) {
      if (!env.getName().equals("TICKETD_JAVA_OPTS")) { // the launcher's, not a flag
        assertThat(env.getName()).startsWith("TICKETD_");
        used.add("--" + env.getName().substring("TICKETD_".length()).toLowerCase().replace('_', '-'));
      }
    }
    for (String flag : used) {
      assertThat(known).as("ticketd serve has " + flag).contains(flag);
    }
    List<String> parseable = ticketd.getArgs().subList(1, ticketd.getArgs().size());
    ServeOptions options = CommandLine.populateCommand(new ServeOptions(), parseable.toArray(String[]::new));
    assertThat(options.limits()).isNotNull(); // the limits the flags give are consistent
    assertThat(options.connectionAge().limited()).isTrue();
  }

  @Test
  void ports_agreeAcrossFlags_containerPorts_probes_service_scrapeAnnotation_andTheImage() throws Exception {
    int grpc = port(flags.get("--listen"));
    int health = port(flags.get("--health-listen"));
    int metrics = port(flags.get("--metrics-listen"));
    assertThat(containerPort("grpc")).isEqualTo(grpc);
    assertThat(containerPort("health")).isEqualTo(health);
    assertThat(containerPort("metrics")).isEqualTo(metrics);

    for (V1Probe probe : List.of(ticketd.getStartupProbe(), ticketd.getReadinessProbe(), ticketd.getLivenessProbe())) {
      assertThat(probe.getGrpc()).as("a gRPC health probe").isNotNull();
      assertThat(probe.getGrpc().getPort()).isEqualTo(health);
      assertThat(probe.getGrpc().getService()).isIn("", TicketServer.SERVICE_NAME);
    }
    assertThat(ticketd.getReadinessProbe().getGrpc().getService()).isEqualTo(TicketServer.SERVICE_NAME);

    Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", String.valueOf(metrics)).containsEntry("prometheus.io/path", "/metrics");

    V1Service service = Manifests.only(documents, V1Service.class);
    assertThat(service.getSpec().getClusterIP()).as("headless, for dns:/// + round_robin").isEqualTo("None");
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(grpc);
      assertThat(p.getTargetPort()).isEqualTo(new IntOrString("grpc"));
    });

    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(Repository.containerfile());
    assertThat(expose.find()).isTrue();
    assertThat(expose.group(1).trim().split("\\s+")).containsExactlyInAnyOrder(
        String.valueOf(grpc), String.valueOf(health), String.valueOf(metrics));
  }

  @Test
  void keyRing_tls_andStorePassword_areFilesOnReadOnlySecretMounts_keyRingAsADirectory() {
    V1VolumeMount keyRing = mountHolding(flags.get("--key-ring"));
    assertThat(keyRing.getSubPath()).as("a subPath mount never sees the Secret's updates").isNull();
    assertThat(keyRing.getMountPath()).as("the image's default key ring directory")
        .isEqualTo("/etc/ticketd/keyring");
    for (String flag : List.of("--key-ring", "--tls-cert", "--tls-key", "--store-password-file")) {
      V1VolumeMount mount = mountHolding(flags.get(flag));
      assertThat(mount.getReadOnly()).as(flag + " on a read-only mount").isTrue();
      assertThat(mount.getSubPath()).isNull();
      V1Volume volume = volume(mount.getName());
      assertThat(volume.getSecret()).as(flag + " from a Secret").isNotNull();
      assertThat(volume.getSecret().getDefaultMode()).as(flag + ": owner read only, 0400").isEqualTo(0400);
    }
    assertThat(ticketd.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("TICKETD_STORE");
      assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("ticketd");
    });
    // Off loopback in plaintext needs --insecure for health and metrics; TicketService must stay on TLS.
    assertThat(flags).containsKeys("--insecure", "--tls-cert", "--tls-key");
  }

  @Test
  void securityContext_nonRootAsTheImagesUser_readOnlyRoot_noEscalation_noCapabilities() throws Exception {
    Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(Repository.containerfile());
    assertThat(user.find()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(Long.parseLong(user.group(2)));
    var container = ticketd.getSecurityContext();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void threeReplicas_onAesNiNodes_spreadOverNodes_withADisruptionBudget_andTheImageOfThisVersion() throws Exception {
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(ticketd.getImage()).isEqualTo("localhost/ticketd:" + Repository.version());
    List<V1NodeSelectorRequirement> required = pod.getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().getFirst().getMatchExpressions();
    assertThat(required).anySatisfy(r -> {
      assertThat(r.getKey()).isEqualTo("feature.node.kubernetes.io/cpu-cpuid.AESNI");
      assertThat(r.getOperator()).isEqualTo("In");
      assertThat(r.getValues()).containsExactly("true");
    });
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(pod.getTopologySpreadConstraints()).anySatisfy(t -> {
      assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
      assertThat(t.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
      assertThat(podLabels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels());
    });
    assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(podLabels).containsAllEntriesOf(Manifests.only(documents, V1Service.class).getSpec().getSelector());
    V1PodDisruptionBudget pdb = Manifests.only(documents, V1PodDisruptionBudget.class);
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getMinAvailable().getIntValue()).isBetween(1, deployment.getSpec().getReplicas() - 1);
  }

  @Test
  void resourcesAreSet_andTheKubeletWaitsLongerThanTheGracePeriod() {
    assertThat(ticketd.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(ticketd.getResources().getLimits()).containsKey("memory");
    assertThat(ticketd.getResources().getLimits().get("memory")).isEqualTo(ticketd.getResources().getRequests().get("memory"));
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(Long.parseLong(flags.get("--grace-period")));
  }
}
