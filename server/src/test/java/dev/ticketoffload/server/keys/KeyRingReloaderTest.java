package dev.ticketoffload.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.aead.JdkAeadBackend;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import dev.ticketoffload.server.testing.SecretVolume;
import dev.ticketoffload.server.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reloader must notice: mode-only fixes, changes racing the first load, Kubernetes Secret swaps. */
class KeyRingReloaderTest {

  @TempDir
  Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ServiceMetrics metrics = new ServiceMetrics(registry);
  private KeySchedule keys;

  @AfterEach
  void closeKeys() {
    if (keys != null) {
      keys.close();
    }
  }

  private double reloads(String result) {
    var counter = registry.find("ticketoffload.keyring.reloads").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private KeyRingReloader loadedFrom(Path file) throws Exception {
    return loadedFrom(file, ring -> null);
  }

  private KeyRingReloader loadedFrom(Path file, java.util.function.Function<KeyRing, String> fitsServer)
      throws Exception {
    KeyRingReloader.FileVersion version = KeyRingReloader.FileVersion.of(file);
    keys = new KeySchedule(new JdkAeadBackend(), KeyRingFile.load(file));
    return new KeyRingReloader(file, keys, metrics, version, fitsServer);
  }

  private static byte[] json(KeyRing ring) throws Exception {
    Path tmp = Files.createTempFile("ring", ".json");
    try {
      KeyRingFile.write(tmp, ring);
      return Files.readAllBytes(tmp);
    } finally {
      Files.delete(tmp);
    }
  }

  @Test
  void refusedForItsMode_thenChmod600Only_isReloaded() throws Exception {
    Path file = dir.resolve("keyring.json");
    KeyRingFile.write(file, TestKeys.ring("default"));
    try (KeyRingReloader reloader = loadedFrom(file)) {
      Files.write(file, json(TestKeys.ring("default", "realm-b")));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      reloader.checkNow();
      assertThat(reloads("failed")).isEqualTo(1);
      assertThat(keys.keyRing().realm("realm-b")).isNull();

      FileTime modified = Files.getLastModifiedTime(file);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      Files.setLastModifiedTime(file, modified); // nothing but the mode changes
      reloader.checkNow();

      assertThat(reloads("ok")).isEqualTo(1);
      assertThat(keys.keyRing().realm("realm-b")).isNotNull();
    }
  }

  @Test
  void changedBetweenLoadAndFirstPoll_isReloadedByTheFirstPoll() throws Exception {
    Path file = dir.resolve("keyring.json");
    KeyRingFile.write(file, TestKeys.ring("default"));
    KeyRingReloader.FileVersion before = KeyRingReloader.FileVersion.of(file);
    keys = new KeySchedule(new JdkAeadBackend(), KeyRingFile.load(file));
    // The operator rotates while the daemon is still starting, before the reloader exists.
    KeyRingFile.write(file, TestKeys.ring("default", "realm-b"));

    try (KeyRingReloader reloader = new KeyRingReloader(file, keys, metrics, before)) {
      reloader.checkNow();
      assertThat(reloads("ok")).isEqualTo(1);
      assertThat(keys.keyRing().realm("realm-b")).isNotNull();
      reloader.checkNow();
      assertThat(reloads("ok")).as("an unchanged file is not reloaded again").isEqualTo(1);
    }
  }

  @Test
  void kubernetesSecretSwap_sameSizeAndMtime_isReloaded_brokenVersionRefused_thenFixedVersionLoaded() throws Exception {
    SecretVolume volume = new SecretVolume(dir);
    byte[] first = json(TestKeys.ring("default"));
    Path firstReal = volume.publish("keyring.json", first, "rw-------");
    FileTime modified = Files.getLastModifiedTime(firstReal);
    Path file = volume.file("keyring.json");
    try (KeyRingReloader reloader = loadedFrom(file)) {
      byte[] second = json(TestKeys.ring("realm-b")); // same length as the first: the size tells nothing
      assertThat(second).hasSameSizeAs(first);
      Files.setLastModifiedTime(volume.publish("keyring.json", second, "rw-------"), modified);
      reloader.checkNow();
      assertThat(reloads("ok")).isEqualTo(1);
      assertThat(keys.keyRing().realm("realm-b")).isNotNull();

      volume.publish("keyring.json", "{\"version\": 1, \"realms\": [".getBytes(), "rw-------");
      reloader.checkNow();
      assertThat(reloads("failed")).isEqualTo(1);
      assertThat(keys.keyRing().realm("realm-b")).as("the ring in force stays").isNotNull();

      volume.publish("keyring.json", json(TestKeys.ring("realm-c")), "rw-------");
      reloader.checkNow();
      assertThat(reloads("ok")).isEqualTo(2);
      assertThat(keys.keyRing().realm("realm-c")).isNotNull();
    }
  }

  @Test
  void realmQuotaSmallerThanABatch_isRefused_theRingInForceStays_aFixedOneLoads() throws Exception {
    Path file = dir.resolve("keyring.json");
    KeyRingFile.write(file, TestKeys.ring("default"));
    ServiceLimits limits = ServiceLimits.defaults().withMaxItemsPerRequest(64);
    try (KeyRingReloader reloader = loadedFrom(file, limits::replayQuotaProblem)) {
      KeyRingFile.write(file, TestKeys.ringWithQuota("realm-b", 63));
      reloader.checkNow();
      assertThat(reloads("failed")).isEqualTo(1);
      assertThat(keys.keyRing().realm("realm-b")).isNull();
      assertThat(keys.keyRing().realm("default")).as("the ring in force stays").isNotNull();

      KeyRingFile.write(file, TestKeys.ringWithQuota("realm-b", 64));
      reloader.checkNow();
      assertThat(reloads("ok")).isEqualTo(1);
      assertThat(keys.keyRing().realm("realm-b").maxReplayEntries()).isEqualTo(64);
    }
  }
}
