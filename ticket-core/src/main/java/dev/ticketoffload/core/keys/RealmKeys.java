package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.format.TicketFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch keys of one realm: derived on first use, cached, never rebuilt per ticket. Lookups are a
 * scan of a small copy-on-write array (a few dozen keys at most), lock- and allocation-free; only a
 * miss (once per epoch and master) takes the lock.
 */
public final class RealmKeys {

  private static final Logger LOG = LoggerFactory.getLogger(RealmKeys.class);

  private final RealmConfig config;
  private final AeadBackend backend;
  private final Graveyard graveyard;
  private final MasterSecret primary;
  /** How many epochs back a ticket may have been sealed: ceil(max lifetime / epoch) + 1. */
  private final long epochsBack;
  private volatile EpochKey[] cache;

  RealmKeys(RealmConfig config, AeadBackend backend, Graveyard graveyard, EpochKey[] inherited) {
    this.config = config;
    this.backend = backend;
    this.graveyard = graveyard;
    this.primary = config.primary();
    this.epochsBack = ceilDiv(config.maxTicketLifetimeSeconds(), config.epochSeconds()) + 1;
    this.cache = inherited;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  public RealmConfig config() {
    return config;
  }

  public String name() {
    return config.name();
  }

  public long epoch(long unixSeconds) {
    return Math.floorDiv(unixSeconds, config.epochSeconds());
  }

  /** The key that seals now: the primary master at the current epoch. */
  public EpochKey sealKey(long nowSeconds) {
    long keyId = TicketFormat.keyId(primary.id(), epoch(nowSeconds));
    EpochKey key = cached(keyId);
    return key != null ? key : derive(keyId, nowSeconds);
  }

  /**
   * The key that opens a ticket with {@code keyId} at {@code nowSeconds}, or {@code null} when the
   * master is unknown, retired, or its epoch lies outside
   * {@code [now_epoch - ceil(max_lifetime / epoch_seconds) - 1, now_epoch + 1]}.
   */
  public EpochKey openKey(long keyId, long nowSeconds) {
    long epoch = TicketFormat.epoch(keyId);
    long nowEpoch = epoch(nowSeconds);
    if (epoch < nowEpoch - epochsBack || epoch > nowEpoch + 1) {
      return null;
    }
    EpochKey key = cached(keyId);
    if (key != null) {
      return key;
    }
    return master(TicketFormat.masterId(keyId)) == null ? null : derive(keyId, nowSeconds);
  }

  /**
   * Counts {@code n} seals under {@code key}; logs a warning once when the key passes 2^30.
   *
   * @throws SealLimitExceededException past 2^31 seals under one key
   */
  public void reserveSeals(EpochKey key, int n) {
    if (key.reserveSeals(n)) {
      LOG.warn("realm {}: epoch key 0x{} passed {} seals on this instance; at {} sealing stops. "
              + "Shorten epoch_seconds for this load.", config.name(), Long.toHexString(key.keyId()),
          EpochKey.SEAL_WARNING_THRESHOLD, EpochKey.SEAL_LIMIT);
    }
  }

  /**
   * The identity keys of {@code idI} under every master that still opens, with their ids: what a
   * revocation by identity records (each ticket's open looks up the one of its own master).
   */
  public List<java.util.Map.Entry<Integer, byte[]>> identityKeys(byte[] idI) {
    List<java.util.Map.Entry<Integer, byte[]>> out = new ArrayList<>();
    for (MasterSecret m : config.masters()) {
      if (!m.state().opens()) {
        continue;
      }
      byte[] secret = m.secretBytes();
      byte[] macKey = IdentityKeyDerivation.macKey(secret, config.name());
      try {
        byte[] key = new byte[IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES];
        IdentityKeyDerivation.identityKey(macKey, idI, 0, idI.length, key, 0);
        out.add(java.util.Map.entry(m.id(), key));
      } finally {
        Arrays.fill(secret, (byte) 0);
        Arrays.fill(macKey, (byte) 0);
      }
    }
    return out;
  }

  /** The keys derived so far (for metrics: seals per epoch key). */
  public List<EpochKey> cachedKeys() {
    return List.of(cache);
  }

  private MasterSecret master(int id) {
    for (MasterSecret m : config.masters()) {
      if (m.id() == id && m.state().opens()) {
        return m;
      }
    }
    return null;
  }

  private EpochKey cached(long keyId) {
    for (EpochKey k : cache) {
      if (k.keyId() == keyId) {
        return k;
      }
    }
    return null;
  }

  private synchronized EpochKey derive(long keyId, long nowSeconds) {
    EpochKey existing = cached(keyId);
    if (existing != null) {
      return existing;
    }
    byte[] secret = master(TicketFormat.masterId(keyId)).secretBytes();
    byte[] key = EpochKeyDerivation.derive(secret, config.name(), keyId);
    byte[] identityMacKey = IdentityKeyDerivation.macKey(secret, config.name());
    EpochKey derived;
    try {
      derived = new EpochKey(keyId, backend.bind(key), identityMacKey);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(key, (byte) 0);
      Arrays.fill(identityMacKey, (byte) 0);
    }
    long oldest = epoch(nowSeconds) - epochsBack;
    List<EpochKey> kept = new ArrayList<>(cache.length + 1);
    for (EpochKey k : cache) {
      if (TicketFormat.epoch(k.keyId()) < oldest) {
        graveyard.bury(k::close); // another thread may still be using it: close later
      } else {
        kept.add(k);
      }
    }
    kept.add(derived);
    cache = kept.toArray(EpochKey[]::new);
    graveyard.sweep();
    return derived;
  }

  /** Keys that a new version of this realm can keep: same master id, same secret, still usable. */
  EpochKey[] keysStillValidIn(RealmConfig next) {
    List<EpochKey> kept = new ArrayList<>();
    for (EpochKey k : cache) {
      MasterSecret before = master(TicketFormat.masterId(k.keyId()));
      MasterSecret after = next.masters().stream()
          .filter(m -> m.id() == TicketFormat.masterId(k.keyId()) && m.state().opens())
          .findFirst().orElse(null);
      if (next.epochSeconds() == config.epochSeconds() && before != null && after != null
          && before.sameSecretAs(after)) {
        kept.add(k);
      }
    }
    return kept.toArray(EpochKey[]::new);
  }

  /** Hands every key not in {@code keep} to the graveyard. */
  void retireAllBut(EpochKey[] keep) {
    List<EpochKey> kept = Arrays.asList(keep);
    for (EpochKey k : cache) {
      if (!kept.contains(k)) {
        graveyard.bury(k::close);
      }
    }
  }

  void closeAll() {
    for (EpochKey k : cache) {
      k.close();
    }
    cache = new EpochKey[0];
  }
}
