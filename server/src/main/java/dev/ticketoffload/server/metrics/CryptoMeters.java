package dev.ticketoffload.server.metrics;

import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.openssl.BackendChoice;
import dev.ticketoffload.server.store.ConsumeStore;
import dev.ticketoffload.server.store.MemoryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * Meters of the crypto side: the backend as an info metric, the store of consumed tickets (whether
 * it answers; for the memory store its size), and seals per epoch key (refreshed before each scrape,
 * since epoch keys come and go).
 */
public final class CryptoMeters {

  private final MultiGauge sealsPerEpochKey;
  private final KeySchedule keys;

  /** @param defaultMaxEntries {@code --replay-guard-max-entries}, a realm's quota unless the key ring sets one */
  public CryptoMeters(ServiceMetrics metrics, BackendChoice backend, KeySchedule keys, ConsumeStore store,
      long defaultMaxEntries) {
    this.keys = keys;
    Gauge.builder("ticketoffload.backend.info", () -> 1)
        .description("The AES-GCM backend in use; the value is always 1, the labels say which")
        .tag("backend", backend.backend().name())
        .tag("openssl_version", backend.openSslVersionLabel())
        .tag("aes_ni", Boolean.toString(backend.aesNi()))
        .tag("reason", backend.reason())
        .register(metrics.registry());
    Gauge.builder("ticketoffload.store.up", () -> store.up() ? 1 : 0)
        .description("1 while the store of consumed tickets answers, 0 while consuming opens fail closed")
        .tag("store", store.kind())
        .register(metrics.registry());
    metrics.gauge("ticketoffload.replay.guard.max.entries", "replay-guard-max-entries (per realm, unless the key "
        + "ring sets max_replay_entries)", () -> defaultMaxEntries);
    if (store instanceof MemoryStore memory) {
      metrics.gauge("ticketoffload.replay.guard.entries", "Tickets the replay guard remembers now, all realms",
          memory::size);
      metrics.gauge("ticketoffload.replay.guard.evicted", "Tickets forgotten to make room (evict-oldest) since start",
          memory::evictedCount);
    }
    sealsPerEpochKey = MultiGauge.builder("ticketoffload.epoch.key.seals")
        .description("Tickets this instance sealed under each epoch key (warning past 2^30, refused past 2^31)")
        .register(metrics.registry());
  }

  /** Re-reads the epoch keys in force; call before a scrape. */
  public void refresh() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (RealmConfig realm : keys.keyRing().realms()) {
      RealmKeys realmKeys = keys.realm(realm.name());
      if (realmKeys == null) {
        continue;
      }
      for (EpochKey key : realmKeys.cachedKeys()) {
        Tags tags = Tags.of("realm", realm.name(),
            "master_id", Integer.toString(TicketFormat.masterId(key.keyId())),
            "epoch", Long.toString(TicketFormat.epoch(key.keyId())));
        rows.add(MultiGauge.Row.of(tags, key.sealCount()));
      }
    }
    sealsPerEpochKey.register(rows, true);
  }
}
