package dev.ticketoffload.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.aead.KeyClosedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Epoch keys of a realm through {@link KeySchedule}: which key seals, which key ids open, caching,
 * the per-key seal limit and reloads (DESIGN.md, "Keys: realms, master secrets, epoch keys").
 */
class RealmKeysTest {

  private static final long NOW = 1_764_190_000L;
  private static final long NOW_EPOCH = 490_052; // floor(NOW / 3600)
  private static final Instant CREATED = Instant.parse("2026-11-26T21:00:00Z");

  private static final int PRIMARY_ID = 2;
  private static final int DECRYPT_ONLY_ID = 1;
  private static final int RETIRED_ID = 7;
  private static final int UNKNOWN_ID = 3;

  private static byte[] secret(int seed) {
    byte[] s = new byte[32];
    for (int i = 0; i < 32; i++) {
      s[i] = (byte) (seed * 59 + i * 13 + 1);
    }
    return s;
  }

  private static RealmConfig realm(String name, long epochSeconds, long maxLifetimeSeconds,
      byte[] primarySecret) {
    return new RealmConfig(name, epochSeconds, maxLifetimeSeconds, List.of(
        new MasterSecret(PRIMARY_ID, MasterState.PRIMARY, primarySecret, CREATED),
        new MasterSecret(DECRYPT_ONLY_ID, MasterState.DECRYPT_ONLY, secret(2), CREATED),
        new MasterSecret(RETIRED_ID, MasterState.RETIRED, secret(3), CREATED)));
  }

  private static KeyRing ring(long epochSeconds, long maxLifetimeSeconds) {
    return new KeyRing(List.of(realm("default", epochSeconds, maxLifetimeSeconds, secret(1)),
        realm("other", 3600, 86_400, secret(1))));
  }

  private static KeySchedule schedule(KeyRing ring) {
    return new KeySchedule(new BouncyCastleAeadBackend(), ring);
  }

  private static long keyId(int masterId, long epoch) {
    return ((long) masterId << 48) | epoch;
  }

  /**
   * Proves {@code key} holds HKDF(secret, realm, key id): seals with it and opens with the JDK's
   * AES-GCM under the key derived from {@code secret}.
   */
  private static boolean sealsUnder(EpochKey key, byte[] secret, String realm) throws Exception {
    // A fresh IV per seal: Bouncy Castle rightly refuses to reuse one under the same key.
    byte[] iv = new byte[12];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(iv);
    byte[] aad = "header".getBytes(StandardCharsets.US_ASCII);
    byte[] plaintext = "state of an IKE SA".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = new byte[plaintext.length + 16];
    key.aead().seal(iv, 0, aad, 0, aad.length, plaintext, 0, plaintext.length, sealed, 0);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] expectedKey = EpochKeyDerivation.derive(secret, realm, key.keyId());
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(expectedKey, "AES"), new GCMParameterSpec(128, iv));
    cipher.updateAAD(aad);
    try {
      return java.util.Arrays.equals(cipher.doFinal(sealed), plaintext);
    } catch (javax.crypto.AEADBadTagException e) {
      return false;
    }
  }

  // ---- sealing key -----------------------------------------------------------------------------

  @Test
  void sealKey_now_isPrimaryAtCurrentEpochWithPrimarySecret() throws Exception {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys keys = schedule.realm("default");
      EpochKey key = keys.sealKey(NOW);
      assertThat(key.keyId()).isEqualTo(0x0002_0000_0007_7A44L).isEqualTo(keyId(PRIMARY_ID, NOW_EPOCH));
      assertThat(sealsUnder(key, secret(1), "default")).isTrue();
      assertThat(sealsUnder(key, secret(2), "default")).isFalse();
      assertThat(sealsUnder(key, secret(1), "other")).isFalse();
    }
  }

  @Test
  void sealKey_atEpochEdges_switchesExactlyOnTheBoundary() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys keys = schedule.realm("default");
      long boundary = (NOW_EPOCH + 1) * 3600;
      assertThat(keys.sealKey(NOW_EPOCH * 3600).keyId()).isEqualTo(keyId(PRIMARY_ID, NOW_EPOCH));
      assertThat(keys.sealKey(boundary - 1).keyId()).isEqualTo(keyId(PRIMARY_ID, NOW_EPOCH));
      assertThat(keys.sealKey(boundary).keyId()).isEqualTo(keyId(PRIMARY_ID, NOW_EPOCH + 1));
    }
  }

  @Test
  void sealKey_sameRealmNameDifferentRealm_isAnotherKey() throws Exception {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      EpochKey a = schedule.realm("default").sealKey(NOW);
      EpochKey b = schedule.realm("other").sealKey(NOW);
      assertThat(a.keyId()).isEqualTo(b.keyId());
      assertThat(b).isNotSameAs(a);
      assertThat(sealsUnder(b, secret(1), "other")).isTrue();
      assertThat(sealsUnder(b, secret(1), "default")).isFalse();
    }
  }

  // ---- opening keys --------------------------------------------------------------------------

  @ParameterizedTest(name = "epoch {0}s, lifetime {1}s, now {2}: {3} epochs back")
  @CsvSource({
      "3600, 86400, 1764190000, 25",
      "3600, 86401, 1764190000, 26",
      "3600, 5000, 1764190799, 3",
      "3600, 3600, 1764187200, 2",
      "600, 7200, 1764190000, 13",
      "86400, 3600, 1764190000, 2",
      "1, 1, 1764190000, 2",
      "7, 100, 1764190000, 16"})
  void openKey_epochWindow_acceptsExactlyTheDesignRange(long epochSeconds, long maxLifetime, long now,
      long expectedBack) {
    try (KeySchedule schedule = schedule(ring(epochSeconds, maxLifetime))) {
      RealmKeys keys = schedule.realm("default");
      long nowEpoch = now / epochSeconds;
      long lowest = nowEpoch - expectedBack;
      long highest = nowEpoch + 1;
      List<String> failures = new ArrayList<>();
      for (int masterId : new int[] {PRIMARY_ID, DECRYPT_ONLY_ID, RETIRED_ID, UNKNOWN_ID}) {
        boolean opens = masterId == PRIMARY_ID || masterId == DECRYPT_ONLY_ID;
        for (long epoch = lowest - 3; epoch <= highest + 3; epoch++) {
          boolean expected = opens && epoch >= lowest && epoch <= highest;
          EpochKey key = keys.openKey(keyId(masterId, epoch), now);
          if ((key != null) != expected) {
            failures.add("master " + masterId + " epoch " + (epoch - nowEpoch) + " from now: "
                + (key == null ? "null" : key));
          } else if (key != null && key.keyId() != keyId(masterId, epoch)) {
            failures.add("master " + masterId + " epoch " + epoch + ": wrong key id " + key);
          }
        }
      }
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void openKey_decryptOnlyMaster_usesItsOwnSecret() throws Exception {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      EpochKey key = schedule.realm("default").openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH - 3), NOW);
      assertThat(key).isNotNull();
      assertThat(sealsUnder(key, secret(2), "default")).isTrue();
      assertThat(sealsUnder(key, secret(1), "default")).isFalse();
    }
  }

  @Test
  void openKey_retiredOrUnknownMasterAtCurrentEpoch_isNull() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys keys = schedule.realm("default");
      assertThat(keys.openKey(keyId(RETIRED_ID, NOW_EPOCH), NOW)).isNull();
      assertThat(keys.openKey(keyId(UNKNOWN_ID, NOW_EPOCH), NOW)).isNull();
      assertThat(keys.openKey(keyId(0xFFFF, NOW_EPOCH), NOW)).isNull();
      assertThat(keys.openKey(-1L, NOW)).isNull();
      assertThat(keys.cachedKeys()).isEmpty();
    }
  }

  @Test
  void lookups_repeated_returnTheCachedInstance() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys keys = schedule.realm("default");
      EpochKey seal = keys.sealKey(NOW);
      EpochKey old = keys.openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH - 5), NOW);
      assertThat(keys.cachedKeys()).containsExactlyInAnyOrder(seal, old);

      for (int i = 0; i < 3; i++) {
        keys.openKey(keyId(PRIMARY_ID, NOW_EPOCH - 1 - i), NOW); // other keys join the cache
        assertThat(keys.sealKey(NOW + i)).isSameAs(seal);
        assertThat(keys.openKey(keyId(PRIMARY_ID, NOW_EPOCH), NOW)).isSameAs(seal);
        assertThat(keys.openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH - 5), NOW + i)).isSameAs(old);
      }
      assertThat(keys.cachedKeys()).hasSize(5).contains(seal, old);
      assertThat(schedule.realm("default")).isSameAs(keys);
    }
  }

  @Test
  void realm_unknownName_isNull() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      assertThat(schedule.realm("nope")).isNull();
      assertThat(schedule.realm("Default")).isNull();
      assertThat(schedule.realm("")).isNull();
      assertThat(schedule.realm("default").name()).isEqualTo("default");
    }
  }

  // ---- seal limit ----------------------------------------------------------------------------

  @Test
  void reserveSeals_upToTheLimit_isAllowedAndOneMoreIsRefusedNamingTheLimit() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys keys = schedule.realm("default");
      EpochKey key = keys.sealKey(NOW);
      long limit = EpochKey.SEAL_LIMIT;
      assertThat(limit).isEqualTo(1L << 31);
      long reserved = 0;
      while (reserved < limit) {
        int chunk = (int) Math.min(Integer.MAX_VALUE, limit - reserved);
        keys.reserveSeals(key, chunk);
        reserved += chunk;
      }
      assertThat(key.sealCount()).isEqualTo(limit);

      assertThatThrownBy(() -> keys.reserveSeals(key, 1))
          .isInstanceOf(SealLimitExceededException.class)
          .hasMessageContaining("2147483648")
          .hasMessageContaining("0x" + Long.toHexString(key.keyId()))
          .hasMessageContaining("2^31");
      assertThat(key.sealCount()).as("a refused reservation is not counted").isEqualTo(limit);
      keys.reserveSeals(key, 0);
      assertThat(key.sealCount()).isEqualTo(limit);

      // The limit is per key: the next epoch's key seals freely.
      EpochKey next = keys.sealKey(NOW + 3600);
      assertThat(next).isNotSameAs(key);
      keys.reserveSeals(next, 1000);
      assertThat(next.sealCount()).isEqualTo(1000);
    }
  }

  @Test
  void reserveSeals_oneLargeChunkPastTheLimit_isRefusedAndNotCounted() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys keys = schedule.realm("default");
      EpochKey key = keys.sealKey(NOW);
      keys.reserveSeals(key, Integer.MAX_VALUE);
      assertThatThrownBy(() -> keys.reserveSeals(key, 2))
          .isInstanceOf(SealLimitExceededException.class)
          .hasMessageContaining("limit of " + EpochKey.SEAL_LIMIT + " seals per key");
      assertThatThrownBy(() -> keys.reserveSeals(key, Integer.MAX_VALUE))
          .isInstanceOf(SealLimitExceededException.class);
      assertThat(key.sealCount()).isEqualTo(Integer.MAX_VALUE);
      keys.reserveSeals(key, 1); // exactly the limit still fits
      assertThat(key.sealCount()).isEqualTo(EpochKey.SEAL_LIMIT);
    }
  }

  // ---- reloads -------------------------------------------------------------------------------

  @Test
  void update_unchangedMasters_keepsCachedKeyInstances() throws Exception {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      EpochKey seal = schedule.realm("default").sealKey(NOW);
      EpochKey old = schedule.realm("default").openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH - 2), NOW);

      schedule.update(ring(3600, 86_400)); // equal content, all new objects (as a reload gives)

      RealmKeys keys = schedule.realm("default");
      assertThat(keys.sealKey(NOW)).isSameAs(seal);
      assertThat(keys.openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH - 2), NOW)).isSameAs(old);
      assertThat(sealsUnder(seal, secret(1), "default")).isTrue(); // not closed
    }
  }

  @Test
  void update_sameRingObjects_secretsInForceAreNotWiped() throws Exception {
    KeyRing ring = ring(3600, 86_400);
    try (KeySchedule schedule = new KeySchedule(new BouncyCastleAeadBackend(), ring)) {
      schedule.realm("default").sealKey(NOW);
      schedule.update(ring); // the very same MasterSecret objects stay in force
      EpochKey nextEpoch = schedule.realm("default").sealKey(NOW + 3600); // derived after the old ring's wipe
      assertThat(sealsUnder(nextEpoch, secret(1), "default")).isTrue();
    }
  }

  // ---- leases: a key is freed when its last user leaves, never under it, with no timer ---------

  @Test
  void release_keyRetiredByReload_closesWhenTheLastBatchReleasesIt_notBefore() {
    ClosingRecorder backend = new ClosingRecorder();
    try (KeySchedule schedule = new KeySchedule(backend, ring(3600, 86_400))) {
      EpochKey inUse = schedule.realm("default").sealKey(NOW); // a batch holds it
      EpochKey second = schedule.realm("default").sealKey(NOW); // and another one

      schedule.update(new KeyRing(List.of(realm("default", 3600, 86_400, secret(99))))); // primary secret changed

      assertThat(backend.isClosed(inUse)).as("closed under two batches").isFalse();
      inUse.release();
      assertThat(backend.isClosed(inUse)).as("closed under one batch").isFalse();
      second.release();
      assertThat(backend.isClosed(inUse)).as("closed after the last batch left").isTrue();
    }
  }

  @Test
  void release_keyOutOfTheWindow_closesAtOnceWhenNoBatchHoldsIt() {
    ClosingRecorder backend = new ClosingRecorder();
    try (KeySchedule schedule = new KeySchedule(backend, ring(3600, 3600))) {
      EpochKey old = schedule.realm("default").sealKey(NOW);
      old.release();
      EpochKey later = schedule.realm("default").sealKey(NOW + 3 * 3600); // the next derive drops the old epoch
      assertThat(backend.isClosed(old)).isTrue();
      assertThat(backend.isClosed(later)).isFalse();
      later.release();
      assertThat(backend.isClosed(later)).as("still cached, still in force").isFalse();
    }
  }

  @Test
  void close_whileABatchHoldsAKey_keyWorksUntilReleased_thenFreed_andLookupsRefuse() throws Exception {
    ClosingRecorder backend = new ClosingRecorder();
    KeySchedule schedule = new KeySchedule(backend, ring(3600, 86_400));
    RealmKeys stale = schedule.realm("default");
    EpochKey inUse = stale.sealKey(NOW);

    schedule.close(); // shutdown while a worker is still sealing

    assertThat(backend.isClosed(inUse)).isFalse();
    assertThat(sealsUnder(inUse, secret(1), "default")).as("the batch finishes correctly").isTrue();
    inUse.release();
    assertThat(backend.isClosed(inUse)).isTrue();
    assertThatThrownBy(() -> schedule.realm("default")).isInstanceOf(KeyClosedException.class);
    assertThatThrownBy(() -> stale.sealKey(NOW)).isInstanceOf(KeyClosedException.class);
    assertThatThrownBy(() -> stale.openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH), NOW))
        .isInstanceOf(KeyClosedException.class);
  }

  @Test
  void staleRealmVersion_afterReload_derivesFromTheNewSecretsNeverTheWipedOnes() throws Exception {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys stale = schedule.realm("default"); // a batch looked the realm up before the reload
      schedule.update(new KeyRing(List.of(realm("default", 3600, 86_400, secret(99)),
          realm("other", 3600, 86_400, secret(1)))));

      EpochKey nextEpoch = stale.sealKey(NOW + 3600); // a miss: derived now
      assertThat(sealsUnder(nextEpoch, secret(99), "default")).isTrue();
      assertThat(nextEpoch).isSameAs(schedule.realm("default").sealKey(NOW + 3600));
    }
  }

  @Test
  void staleRealmVersion_realmRemovedByReload_sealIsUnknownRealmAndOpenUnknownKey() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      RealmKeys stale = schedule.realm("other");
      schedule.update(new KeyRing(List.of(realm("default", 3600, 86_400, secret(1)))));
      assertThatThrownBy(() -> stale.sealKey(NOW)).isInstanceOf(dev.ticketoffload.core.ticket.UnknownRealmException.class);
      assertThat(stale.openKey(keyId(PRIMARY_ID, NOW_EPOCH), NOW)).isNull();
    }
  }

  @Test
  void update_changedPrimarySecret_derivesNewKey() throws Exception {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      EpochKey before = schedule.realm("default").sealKey(NOW);
      EpochKey decryptOnly = schedule.realm("default").openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH), NOW);

      schedule.update(new KeyRing(List.of(realm("default", 3600, 86_400, secret(99)))));

      RealmKeys keys = schedule.realm("default");
      EpochKey after = keys.sealKey(NOW);
      assertThat(after).isNotSameAs(before);
      assertThat(after.keyId()).isEqualTo(before.keyId());
      assertThat(sealsUnder(after, secret(99), "default")).isTrue();
      assertThat(sealsUnder(after, secret(1), "default")).isFalse();
      assertThat(keys.openKey(keyId(PRIMARY_ID, NOW_EPOCH), NOW)).isSameAs(after);
      // the unchanged decrypt-only master keeps its key
      assertThat(keys.openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH), NOW)).isSameAs(decryptOnly);
      // the realm that left the ring is gone
      assertThat(schedule.realm("other")).isNull();
    }
  }

  @Test
  void update_primaryDemotedAndNewPrimary_oldKeyStillOpensNewOneSeals() throws Exception {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      EpochKey before = schedule.realm("default").sealKey(NOW);
      RealmConfig rotated = new RealmConfig("default", 3600, 86_400, List.of(
          new MasterSecret(9, MasterState.PRIMARY, secret(50), CREATED),
          new MasterSecret(PRIMARY_ID, MasterState.DECRYPT_ONLY, secret(1), CREATED),
          new MasterSecret(DECRYPT_ONLY_ID, MasterState.RETIRED, secret(2), CREATED)));

      schedule.update(new KeyRing(List.of(rotated)));

      RealmKeys keys = schedule.realm("default");
      EpochKey seal = keys.sealKey(NOW);
      assertThat(seal.keyId()).isEqualTo(keyId(9, NOW_EPOCH));
      assertThat(sealsUnder(seal, secret(50), "default")).isTrue();
      assertThat(keys.openKey(keyId(PRIMARY_ID, NOW_EPOCH), NOW)).isSameAs(before);
      assertThat(keys.openKey(keyId(DECRYPT_ONLY_ID, NOW_EPOCH), NOW)).isNull(); // now retired
    }
  }

  @Test
  void update_changedEpochSeconds_dropsCachedKeys() {
    try (KeySchedule schedule = schedule(ring(3600, 86_400))) {
      EpochKey before = schedule.realm("default").sealKey(NOW);
      schedule.update(ring(600, 86_400));
      EpochKey after = schedule.realm("default").sealKey(NOW);
      assertThat(after).isNotSameAs(before);
      assertThat(after.keyId()).isEqualTo(keyId(PRIMARY_ID, NOW / 600));
    }
  }
}
