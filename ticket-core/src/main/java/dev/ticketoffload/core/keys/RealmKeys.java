package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.KeyClosedException;
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
 *
 * <p>A lookup returns a <em>leased</em> key ({@link EpochKey#release()} when the batch is done), so a
 * key that leaves the cache (its epoch left the window, a reload removed its master, shutdown) is
 * closed only once no batch holds it. A key ring reload {@linkplain #retire retires} this object:
 * a thread that still holds it is sent on to the realm's new version, or told that the realm is gone.
 */
public final class RealmKeys {

  private static final Logger LOG = LoggerFactory.getLogger(RealmKeys.class);
  private static final EpochKey[] NONE = new EpochKey[0];

  private final RealmConfig config;
  private final AeadBackend backend;
  private final MasterSecret primary;
  /** How many epochs back a ticket may have been sealed: ceil(max lifetime / epoch) + 1. */
  private final long epochsBack;
  private volatile EpochKey[] cache;
  // Set once, under the lock, by retire: then every lookup goes to the successor (null: realm gone).
  private volatile boolean retired;
  private volatile RealmKeys successor;
  private volatile boolean scheduleClosed;

  RealmKeys(RealmConfig config, AeadBackend backend, EpochKey[] inherited) {
    this.config = config;
    this.backend = backend;
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

  /**
   * The key that seals now: the primary master at the current epoch, leased (release it when done).
   *
   * @throws dev.ticketoffload.core.ticket.UnknownRealmException when a reload removed the realm
   * @throws KeyClosedException when the key schedule closed (shutdown)
   */
  public EpochKey sealKey(long nowSeconds) {
    RealmKeys current = this;
    while (true) {
      EpochKey key = current.lease(TicketFormat.keyId(current.primary.id(), current.epoch(nowSeconds)), nowSeconds, true);
      if (key != null) {
        return key;
      }
      current = current.successorOrRefuse();
      if (current == null) {
        throw new dev.ticketoffload.core.ticket.UnknownRealmException(config.name());
      }
    }
  }

  /**
   * The key that opens a ticket with {@code keyId} at {@code nowSeconds}, leased (release it when
   * done), or {@code null} when the master is unknown, retired, or its epoch lies outside
   * {@code [now_epoch - ceil(max_lifetime / epoch_seconds) - 1, now_epoch + 1]}.
   *
   * @throws KeyClosedException when the key schedule closed (shutdown)
   */
  public EpochKey openKey(long keyId, long nowSeconds) {
    RealmKeys current = this;
    while (current != null) {
      long epoch = TicketFormat.epoch(keyId);
      long nowEpoch = current.epoch(nowSeconds);
      if (epoch < nowEpoch - current.epochsBack || epoch > nowEpoch + 1) {
        return null;
      }
      EpochKey key = current.lease(keyId, nowSeconds, false);
      if (key != null || !current.retired) {
        return key;
      }
      current = current.successorOrRefuse();
    }
    return null;
  }

  /**
   * A leased key from the cache, or derived; {@code null} when this realm has no such master or was
   * retired meanwhile (then the caller asks the successor).
   */
  private EpochKey lease(long keyId, long nowSeconds, boolean seal) {
    while (true) {
      EpochKey key = cached(keyId);
      if (key == null) {
        if (retired || (!seal && master(TicketFormat.masterId(keyId)) == null)) {
          return null;
        }
        return derive(keyId, nowSeconds); // leased, or null when retired under the lock
      }
      if (key.tryLease()) {
        return key;
      }
      // Closed after we read the cache: whoever closed it had already swapped it out of the cache.
    }
  }

  private RealmKeys successorOrRefuse() {
    if (scheduleClosed) {
      throw new KeyClosedException("the key schedule of realm " + config.name());
    }
    return successor;
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
    if (retired) {
      return null; // the masters of a retired version may already be wiped
    }
    EpochKey existing = cached(keyId);
    if (existing != null && existing.tryLease()) {
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
    derived.tryLease(); // the caller's; the cache holds the first
    long oldest = epoch(nowSeconds) - epochsBack;
    List<EpochKey> kept = new ArrayList<>(cache.length + 1);
    List<EpochKey> dropped = new ArrayList<>();
    for (EpochKey k : cache) {
      (TicketFormat.epoch(k.keyId()) < oldest ? dropped : kept).add(k);
    }
    kept.add(derived);
    cache = kept.toArray(EpochKey[]::new);
    dropped.forEach(EpochKey::release); // out of the cache first: a batch still using one keeps it open
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

  /**
   * Takes this version out of service: lookups from now on go to {@code next} (null: the realm left
   * the key ring), no key is derived from this version's masters any more (they may be wiped once
   * this returns), and the cache's lease of every key not in {@code keep} (the keys {@code next}
   * took over) is released.
   */
  synchronized void retire(RealmKeys next, EpochKey[] keep) {
    successor = next;
    retired = true;
    EpochKey[] was = cache;
    cache = NONE;
    List<EpochKey> kept = Arrays.asList(keep);
    for (EpochKey k : was) {
      if (!kept.contains(k)) {
        k.release();
      }
    }
  }

  /** As {@link #retire} with no successor, for shutdown: later lookups throw {@link KeyClosedException}. */
  synchronized void close() {
    scheduleClosed = true;
    retire(null, NONE);
  }
}
