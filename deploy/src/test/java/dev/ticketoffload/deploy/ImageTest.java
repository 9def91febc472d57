package dev.ticketoffload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.client.TicketOffloadClient;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.server.keys.KeyRingEditor;
import dev.ticketoffload.server.testing.SecretVolume;
import dev.ticketoffload.server.testing.States;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image under podman, as CI runs it: built by bin/build-image, then run with the key ring
 * mounted read-only from a directory laid out as a Kubernetes Secret volume (with fsGroup: files
 * root:10001, mode 0440). Opt-in locally (TICKETD_IMAGE_TESTS=1); required in CI.
 */
class ImageTest {

  private static final long MAX_IMAGE_BYTES = 120_000_000L;
  private static final int GRACE_SECONDS = 15;
  private static final int FS_GROUP = 10001;

  static String image;

  @TempDir
  Path tmp;

  @BeforeAll
  static void build() throws Exception {
    Podman.requireOrSkip();
    long start = System.nanoTime();
    List<String> command = List.of(Repository.ROOT.resolve("bin/build-image").toString(), "--no-maven");
    Podman.Result built = Podman.run(command, 900).orThrow(command);
    List<String> lines = built.stdout().strip().lines().toList();
    image = lines.getLast();
    System.out.printf("image %s built in %d s%n", image, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
  }

  /** The key ring Secret as the kubelet lays it out for a pod with fsGroup 10001. */
  private SecretVolume secret(byte[] keyRing) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("keyring-secret"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    SecretVolume volume = new SecretVolume(dir);
    publish(volume, keyRing);
    return volume;
  }

  private static void publish(SecretVolume volume, byte[] keyRing) throws Exception {
    Path file = volume.publish("keyring.json", keyRing, "r--r-----");
    Files.setAttribute(file, "unix:gid", FS_GROUP);
  }

  private static int masterIdOf(ByteString ticket) {
    return TicketFormat.masterId(TicketFormat.readKeyId(ticket.toByteArray(), 0));
  }

  private static TicketOffloadClient client(TicketdContainer c) {
    return TicketOffloadClient.builder().addresses("127.0.0.1:" + c.grpcPort).realm("default")
        .rpcTimeout(Duration.ofSeconds(5)).build();
  }

  private static ByteString seal(TicketOffloadClient client) throws Exception {
    return client.seal(States.reference(1), 600).get(10, TimeUnit.SECONDS).getTicket();
  }

  private static Outcome open(TicketOffloadClient client, ByteString ticket) throws Exception {
    return client.open(ticket).get(10, TimeUnit.SECONDS).getOutcome();
  }

  private static double counter(String metrics, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static Instant podmanTime(String startedAt) {
    Matcher m = Pattern.compile("(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?) \\+0000").matcher(startedAt);
    assertThat(m.find()).as("StartedAt in UTC: " + startedAt).isTrue();
    return Instant.parse(m.group(1) + "T" + m.group(2) + "Z");
  }

  private byte[] newKeyRing(Path file) throws Exception {
    new KeyRingEditor(file, Clock.systemUTC()).init(List.of("default"));
    return Files.readAllBytes(file);
  }

  @Test
  void theImage_holdsNoShell_runsAsTicketd_andSaysWhatItIs() throws Exception {
    Podman.Result noShell = Podman.podman(120, "run", "--rm", "--entrypoint", "/bin/sh", image, "-c", "true");
    assertThat(noShell.exitCode()).as("no /bin/sh in the image").isNotZero();
    String config = Podman.podman(30, "image", "inspect", "--format",
        "{{.Config.User}} {{.Config.StopSignal}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}", image).stdout().strip();
    assertThat(config).isEqualTo("10001:10001 SIGTERM [\"/usr/local/bin/ticketd\"] [\"serve\"]");
    String labels = Podman.podman(30, "image", "inspect", "--format", "{{json .Labels}}", image).stdout();
    assertThat(labels).contains("\"org.opencontainers.image.version\":\"" + Repository.version() + "\"")
        .contains("org.opencontainers.image.revision").contains("org.opencontainers.image.source")
        .contains("dev.ticketoffload.debian-snapshot").contains("libssl3=");
    long size = Long.parseLong(Podman.podman(30, "image", "inspect", "--format", "{{.Size}}", image).stdout().strip());
    System.out.printf("image size %.1f MB%n", size / 1e6);
    assertThat(size).as("image size goal").isLessThanOrEqualTo(MAX_IMAGE_BYTES);
    assertThat(Repository.ROOT.resolve("target/ticketd-image.oci.tar")).isNotEmptyFile();
  }

  @Test
  void fromASecretVolume_servesARoundTrip_onOpenSslWithAesNi_reloadsTheKubernetesWay_andStopsWithStatus0()
      throws Exception {
    Path ringFile = tmp.resolve("keyring-source.json");
    SecretVolume volume = secret(newKeyRing(ringFile));
    Instant runAt = Instant.now();
    try (TicketdContainer c = new TicketdContainer(image, volume.dir(), List.of());
        TicketOffloadClient client = client(c)) {
      c.awaitServing(Duration.ofSeconds(60));
      Instant serving = Instant.now();
      System.out.printf("start to SERVING: %d ms from podman run, %d ms from the container's start%n",
          Duration.between(runAt, serving).toMillis(), Duration.between(podmanTime(c.startedAt()), serving).toMillis());

      ByteString before = seal(client);
      assertThat(masterIdOf(before)).isEqualTo(1);
      assertThat(open(client, seal(client))).isEqualTo(Outcome.OK);

      String log = c.logs();
      assertThat(log).contains("AEAD backend openssl").contains("AES-NI yes");
      String metrics = c.metrics();
      assertThat(metrics).containsPattern("ticketoffload_backend_info\\{aes_ni=\"true\",backend=\"openssl\"");

      // A new Secret version: rotated (master 2 primary, 1 decrypt-only), published by the ..data swap.
      new KeyRingEditor(ringFile, Clock.systemUTC()).rotate("default");
      publish(volume, Files.readAllBytes(ringFile));
      ByteString after = before;
      for (int i = 0; i < 200 && masterIdOf(after) == 1; i++) {
        Thread.sleep(50);
        after = seal(client);
      }
      assertThat(masterIdOf(after)).as("the new primary seals").isEqualTo(2);
      assertThat(open(client, before)).as("a ticket of the old primary still opens").isEqualTo(Outcome.OK);

      // A broken version is refused and the one in force stays.
      publish(volume, "{\"version\": 1, \"realms\": [".getBytes());
      double failed = 0;
      for (int i = 0; i < 200 && failed == 0; i++) {
        Thread.sleep(50);
        failed = counter(c.metrics(), "ticketoffload_keyring_reloads_total", "result=\"failed\"");
      }
      assertThat(failed).isEqualTo(1);
      assertThat(c.logs()).contains("key ring reload refused, the previous key ring stays in force");
      assertThat(masterIdOf(seal(client))).isEqualTo(2);
      assertThat(open(client, after)).isEqualTo(Outcome.OK);

      Duration stopped = c.stop(GRACE_SECONDS);
      assertThat(c.exitCode()).as("a graceful stop exits 0").isZero();
      assertThat(stopped).as("stopped by SIGTERM, not killed after the timeout").isLessThan(Duration.ofSeconds(GRACE_SECONDS));
      assertThat(c.logs()).contains("stopped; every call in flight finished");
    }
  }

  @Test
  void backendOpenssl_runsInTheImage_andTicketdJavaOptsReachTheJvm() throws Exception {
    SecretVolume volume = secret(newKeyRing(tmp.resolve("keyring-source.json")));
    List<String> javaOpts = List.of("--env", "TICKETD_JAVA_OPTS=-XshowSettings:vm  -Xmx200m");
    try (TicketdContainer c = new TicketdContainer(image, volume.dir(), javaOpts, "--backend", "openssl");
        TicketOffloadClient client = client(c)) {
      c.awaitServing(Duration.ofSeconds(60));
      assertThat(open(client, seal(client))).isEqualTo(Outcome.OK);
      String log = c.logs();
      assertThat(log).contains("backend: openssl (chosen explicitly");
      assertThat(log).as("both words of TICKETD_JAVA_OPTS, after the image's heap default").contains("Max. Heap Size: 200.00M");
    }
  }

  @Test
  void withoutLibcrypto_autoFallsBackToBouncyCastle_andSaysWhy_whileBackendOpensslRefusesToStart() throws Exception {
    SecretVolume volume = secret(newKeyRing(tmp.resolve("keyring-source.json")));
    List<String> noLibcrypto = List.of("--env", "TICKETOFFLOAD_LIBCRYPTO=/nonexistent/libcrypto.so.3");
    try (TicketdContainer c = new TicketdContainer(image, volume.dir(), noLibcrypto);
        TicketOffloadClient client = client(c)) {
      c.awaitServing(Duration.ofSeconds(60));
      assertThat(open(client, seal(client))).isEqualTo(Outcome.OK);
      assertThat(c.logs()).contains("AEAD backend bouncycastle").contains("/nonexistent/libcrypto.so.3");
      assertThat(c.metrics()).contains("backend=\"bouncycastle\"");
    }
    try (TicketdContainer c = new TicketdContainer(image, volume.dir(), noLibcrypto, "--backend", "openssl")) {
      for (int i = 0; i < 600 && c.running(); i++) {
        Thread.sleep(100);
      }
      assertThat(c.running()).as("--backend openssl without libcrypto must not serve").isFalse();
      assertThat(c.exitCode()).isNotZero();
      assertThat(c.logs()).contains("/nonexistent/libcrypto.so.3");
    }
  }
}
