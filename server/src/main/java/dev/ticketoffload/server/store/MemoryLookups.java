package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.core.ticket.StoreLookups;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The memory store's records of tickets by reference, the index of their ids per identity, and its
 * revocations, keyed as in {@link StoreKeys}; every entry carries the second it may be dropped
 * ({@link #sweep}). Bounded: per realm, records (and so index entries, one per record) by the realm's
 * quota, revocations by {@link #MAX_REVOCATIONS_PER_REALM}; past either, the write is refused
 * {@link StoreRefusedException.Reason#QUOTA}, never an eviction (an evicted revocation would let
 * revoked tickets open again).
 *
 * <p>A revocation of an identity also revokes, under its id, every ticket by reference in the
 * identity's index: the seal adds the id before it returns, and the revocation reads the index, so
 * every ticket whose seal returned before the revocation began is covered.
 */
final class MemoryLookups {

  /** Revocations one realm may hold at once in memory. */
  static final int MAX_REVOCATIONS_PER_REALM = 1 << 20;

  private record Held(byte[] value, long untilSeconds) {}

  private static final class Realm {
    final ConcurrentHashMap<ByteBuffer, Held> records = new ConcurrentHashMap<>();
    final ConcurrentHashMap<ByteBuffer, Held> revocations = new ConcurrentHashMap<>();
    // identity index key -> id -> second the ticket's record may go; each inner map changed only
    // inside the outer map's compute (its bin lock), so a sweep never drops an entry a seal adds
    final ConcurrentHashMap<ByteBuffer, java.util.HashMap<ByteBuffer, Long>> index = new ConcurrentHashMap<>();
  }

  private final long skewSeconds;
  private final ToLongFunction<String> recordQuota;
  private final ConcurrentHashMap<String, Realm> realms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, byte[]> realmTags = new ConcurrentHashMap<>();

  MemoryLookups(long skewSeconds, ToLongFunction<String> recordQuota) {
    this.skewSeconds = skewSeconds;
    this.recordQuota = recordQuota;
  }

  private Realm realm(String name) {
    return realms.computeIfAbsent(name, n -> new Realm());
  }

  private byte[] tag(String realm) {
    return realmTags.computeIfAbsent(realm, RedisKeys::realmTag);
  }

  void putRecords(String realmName, SealedReference[] sealed, long nowSeconds) {
    Realm realm = realm(realmName);
    long quota = recordQuota.applyAsLong(realmName);
    if (realm.records.mappingCount() + sealed.length > quota) {
      throw new StoreRefusedException(StoreRefusedException.Reason.QUOTA, "realm " + realmName + " holds "
          + realm.records.mappingCount() + " records of tickets by reference, its quota is " + quota
          + " (max_replay_entries); seals by reference resume as tickets expire");
    }
    byte[] tag = tag(realmName);
    for (SealedReference s : sealed) {
      long until = s.expiresAtSeconds() + skewSeconds;
      realm.records.put(ByteBuffer.wrap(StoreKeys.record(tag, s.id(), 0)), new Held(s.record(), until));
      realm.index.compute(ByteBuffer.wrap(StoreKeys.identityIndex(tag, s)), (k, ids) -> {
        java.util.HashMap<ByteBuffer, Long> m = ids == null ? new java.util.HashMap<>() : ids;
        m.put(ByteBuffer.wrap(s.id().clone()), until);
        return m;
      });
    }
  }

  void revoke(String realmName, List<Revocation> revocations, long nowSeconds) {
    Realm realm = realm(realmName);
    byte[] tag = tag(realmName);
    List<java.util.Map.Entry<ByteBuffer, Held>> writes = new java.util.ArrayList<>();
    for (Revocation r : revocations) {
      byte[] revokedAt = StoreKeys.revokedAt(r.revokedAtSeconds());
      writes.add(java.util.Map.entry(ByteBuffer.wrap(r.key(tag)), new Held(revokedAt, r.untilSeconds())));
      if (r.kind() == Revocation.Kind.IDENTITY) {
        realm.index.computeIfPresent(ByteBuffer.wrap(r.indexKey(tag)), (k, ids) -> {
          ids.forEach((id, until) -> {
            if (nowSeconds < until) {
              writes.add(java.util.Map.entry(ByteBuffer.wrap(StoreKeys.revokedByReference(tag, id.array(), 0)),
                  new Held(revokedAt, until)));
            }
          });
          return ids;
        });
      }
    }
    if (realm.revocations.mappingCount() + writes.size() > MAX_REVOCATIONS_PER_REALM) {
      throw new StoreRefusedException(StoreRefusedException.Reason.QUOTA, "realm " + realmName + " holds "
          + realm.revocations.mappingCount() + " revocations, the memory store's limit is "
          + MAX_REVOCATIONS_PER_REALM + "; they leave as the tickets they cover expire");
    }
    for (var w : writes) {
      // A later revocation of the same identity covers more: keep the latest.
      realm.revocations.merge(w.getKey(), w.getValue(), (a, b) ->
          java.util.Arrays.compare(a.value(), b.value()) >= 0 ? a : b);
    }
  }

  /**
   * Answers every lookup of a batch: revocations as they are now, records of tickets by reference. A
   * realm that holds no revocation (the common case) is not asked for any: a revocation that returned
   * before this call began has already counted in the map's size. The keys looked up are written into
   * one array per length, reused across the batch (the maps only compare them).
   */
  void lookUp(String realmName, StoreLookups lookups, long nowSeconds) {
    Realm realm = realm(realmName);
    byte[] tag = tag(realmName);
    boolean anyRevoked = !realm.revocations.isEmpty();
    byte[] ticketKey = new byte[StoreKeys.TICKET_KEY_BYTES];
    byte[] identityKey = new byte[StoreKeys.IDENTITY_KEY_BYTES];
    ByteBuffer ticketLookup = ByteBuffer.wrap(ticketKey);
    ByteBuffer identityLookup = ByteBuffer.wrap(identityKey);
    byte[] referenceKey = new byte[StoreKeys.RECORD_KEY_BYTES];
    ByteBuffer referenceLookup = ByteBuffer.wrap(referenceKey);
    for (int j = 0; j < lookups.size(); j++) {
      if (lookups.byReference(j)) {
        byte[] id = lookups.refIdBuffer(j);
        int idOffset = lookups.refIdOffset(j);
        if (anyRevoked) {
          StoreKeys.revokedByReference(referenceKey, tag, id, idOffset);
          if (live(realm.revocations.get(referenceLookup), nowSeconds) != null) {
            lookups.answerRevoked(j);
          }
        }
        StoreKeys.record(referenceKey, tag, id, idOffset);
        Held h = live(realm.records.get(referenceLookup), nowSeconds);
        lookups.answerRecord(j, h == null ? null : h.value());
        continue;
      }
      if (!anyRevoked) {
        continue;
      }
      if (lookups.checkTicket(j)) {
        StoreKeys.revokedTicket(ticketKey, tag, lookups.keyId(j), lookups.ivBuffer(j), lookups.ivOffset(j));
        if (live(realm.revocations.get(ticketLookup), nowSeconds) != null) {
          lookups.answerRevoked(j);
        }
      }
      if (lookups.hasIdentity(j)) {
        StoreKeys.revokedIdentity(identityKey, tag, lookups, j);
        Held h = live(realm.revocations.get(identityLookup), nowSeconds);
        if (h != null && StoreKeys.covers(h.value(), lookups.issuedAtSeconds(j))) {
          lookups.answerRevoked(j);
        }
      }
    }
  }

  /** Whether the realm holds any revocation (live or not yet swept): a revocation counts once revoke returned. */
  boolean holdsRevocations(String realmName) {
    return !realm(realmName).revocations.isEmpty();
  }

  private static Held live(Held h, long nowSeconds) {
    return h == null || nowSeconds >= h.untilSeconds() ? null : h;
  }

  void sweep(long nowSeconds) {
    for (Realm r : realms.values()) {
      r.records.values().removeIf(h -> nowSeconds >= h.untilSeconds());
      r.revocations.values().removeIf(h -> nowSeconds >= h.untilSeconds());
      for (ByteBuffer k : r.index.keySet()) {
        r.index.computeIfPresent(k, (key, ids) -> {
          ids.values().removeIf(until -> nowSeconds >= until);
          return ids.isEmpty() ? null : ids;
        });
      }
    }
  }

  /** Ids held in identity indexes, over all realms. */
  long indexed() {
    return realms.values().stream().flatMap(r -> r.index.values().stream()).mapToLong(java.util.Map::size).sum();
  }

  long records() {
    return realms.values().stream().mapToLong(r -> r.records.mappingCount()).sum();
  }

  long revocations() {
    return realms.values().stream().mapToLong(r -> r.revocations.mappingCount()).sum();
  }

  void clear() {
    realms.clear();
  }
}
