package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import java.time.InstantSource;
import java.util.List;

/**
 * Seals states into tickets (format v1) under the realm's primary master and the current epoch. The
 * state is encoded straight into the ticket array and encrypted in place: the ticket is the only
 * allocation per item. Thread-safe.
 */
public final class TicketSealer {

  private static final int AEAD_BATCH_SIZE = 256;

  private final KeySchedule keys;
  private final InstantSource clock;
  private final IvSource ivs;
  private final int maxTicketBytes;
  private final ThreadLocal<AeadBatch> batches = ThreadLocal.withInitial(() -> new AeadBatch(AEAD_BATCH_SIZE));

  public TicketSealer(KeySchedule keys, InstantSource clock, IvSource ivs, int maxTicketBytes) {
    if (maxTicketBytes < TicketFormat.OVERHEAD_IN_BYTES + StateCodec.MIN_ENCODED_BYTES) {
      throw new IllegalArgumentException("max_ticket_bytes " + maxTicketBytes + " is below the smallest ticket ("
          + (TicketFormat.OVERHEAD_IN_BYTES + StateCodec.MIN_ENCODED_BYTES) + " bytes)");
    }
    this.keys = keys;
    this.clock = clock;
    this.ivs = ivs;
    this.maxTicketBytes = maxTicketBytes;
  }

  /** Unix seconds of the sealer's clock. */
  public long nowSeconds() {
    return Math.floorDiv(clock.millis(), 1000);
  }

  /** Seals one state; see {@link #sealAll}. */
  public byte[] seal(String realm, IkeSaState state) {
    return sealAll(realm, List.of(state))[0];
  }

  /**
   * Seals every state under the key of this second; the caller sets {@code issued_at} and
   * {@code expires_at} (at most the realm's maximum lifetime apart).
   *
   * @throws UnknownRealmException if the key ring has no such realm
   * @throws IllegalArgumentException if a state's lifetime exceeds the realm's maximum, or its ticket
   *     would exceed {@code max_ticket_bytes}
   * @throws dev.ticketoffload.core.keys.SealLimitExceededException if the epoch key reached its limit
   */
  public byte[][] sealAll(String realm, List<IkeSaState> states) {
    RealmKeys realmKeys = realmKeys(realm);
    for (IkeSaState s : states) {
      checkSealable(realmKeys, s);
    }
    EpochKey key = realmKeys.sealKey(nowSeconds());
    realmKeys.reserveSeals(key, states.size());
    byte[][] tickets = new byte[states.size()][];
    AeadBatch batch = batches.get();
    try {
      for (int i = 0; i < states.size(); i++) {
        tickets[i] = prepare(key.keyId(), states.get(i), null, batch);
        if (batch.size() == batch.capacity()) {
          key.aead().sealBatch(batch);
          batch.clear();
        }
      }
      if (batch.size() > 0) {
        key.aead().sealBatch(batch);
      }
    } finally {
      batch.clear();
    }
    return tickets;
  }

  /**
   * Seals with a caller-chosen IV and time: for published test vectors only. Reusing an IV under a key
   * destroys GCM's security.
   */
  public byte[] sealWithFixedIvForTestVectorsOnly(String realm, IkeSaState state, byte[] iv, long nowSeconds) {
    RealmKeys realmKeys = realmKeys(realm);
    checkSealable(realmKeys, state);
    EpochKey key = realmKeys.sealKey(nowSeconds);
    AeadBatch batch = new AeadBatch(1);
    byte[] ticket = prepare(key.keyId(), state, iv, batch);
    key.aead().sealBatch(batch);
    return ticket;
  }

  private RealmKeys realmKeys(String realm) {
    RealmKeys realmKeys = keys.realm(realm);
    if (realmKeys == null) {
      throw new UnknownRealmException(realm);
    }
    return realmKeys;
  }

  private void checkSealable(RealmKeys realm, IkeSaState s) {
    long lifetime = s.expiresAtSeconds() - s.issuedAtSeconds();
    if (lifetime > realm.config().maxTicketLifetimeSeconds()) {
      throw new IllegalArgumentException("ticket lifetime " + lifetime + " s exceeds the maximum of realm "
          + realm.name() + " (" + realm.config().maxTicketLifetimeSeconds() + " s)");
    }
    int length = TicketFormat.ticketLength(StateCodec.encodedLength(s));
    if (length > maxTicketBytes) {
      throw new IllegalArgumentException("the ticket for this state would be " + length
          + " bytes, above max_ticket_bytes (" + maxTicketBytes + ")");
    }
  }

  /** Lays out header, IV and plaintext in a new ticket and queues its in-place encryption. */
  private byte[] prepare(long keyId, IkeSaState state, byte[] fixedIv, AeadBatch batch) {
    int stateLength = StateCodec.encodedLength(state);
    byte[] ticket = new byte[TicketFormat.ticketLength(stateLength)];
    TicketFormat.writeHeader(ticket, 0, keyId);
    if (fixedIv == null) {
      ivs.next(ticket, TicketFormat.IV_OFFSET);
    } else {
      System.arraycopy(fixedIv, 0, ticket, TicketFormat.IV_OFFSET, TicketFormat.IV_SIZE_IN_BYTES);
    }
    StateCodec.encode(state, ticket, TicketFormat.CIPHERTEXT_OFFSET);
    batch.add(ticket, TicketFormat.IV_OFFSET, ticket, 0, TicketFormat.HEADER_SIZE_IN_BYTES,
        ticket, TicketFormat.CIPHERTEXT_OFFSET, stateLength, ticket, TicketFormat.CIPHERTEXT_OFFSET);
    return ticket;
  }
}
