package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.aead.AeadBackend;
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
   * @throws IllegalArgumentException if a state's lifetime is negative or exceeds the realm's maximum, or its ticket
   *     would exceed {@code max_ticket_bytes}
   * @throws dev.ticketoffload.core.keys.SealLimitExceededException if the epoch key reached its limit
   */
  public byte[][] sealAll(String realm, List<IkeSaState> states) {
    byte[][] tickets = new byte[states.size()][];
    sealEach(realm, states, tickets, null, 0);
    return tickets;
  }

  /**
   * As {@link #sealAll}, but writes the tickets back to back into {@code out} from {@code offset}:
   * nothing is allocated. Each ticket is {@link #ticketLength} bytes long.
   *
   * @return the bytes written
   * @throws IllegalArgumentException also when {@code out} has no room for every ticket
   */
  public int sealAllInto(String realm, List<IkeSaState> states, byte[] out, int offset) {
    return sealEach(realm, states, null, out, offset);
  }

  /** The length of the ticket that sealing {@code state} gives. */
  public static int ticketLength(IkeSaState state) {
    return TicketFormat.ticketLength(StateCodec.encodedLength(state));
  }

  /** Seals into a new array per ticket ({@code tickets != null}) or back to back into {@code out}. */
  private int sealEach(String realm, List<IkeSaState> states, byte[][] tickets, byte[] out, int offset) {
    RealmKeys realmKeys = realmKeys(realm);
    long total = 0;
    for (int i = 0; i < states.size(); i++) {
      total += checkSealable(realmKeys, states.get(i));
    }
    if (out != null && (offset < 0 || out.length - offset < total)) {
      throw new IllegalArgumentException("the tickets need " + total + " bytes, the output has "
          + (out.length - offset) + " from offset " + offset);
    }
    EpochKey key = realmKeys.sealKey(nowSeconds()); // leased until the batch is sealed
    AeadBatch batch = batches.get();
    int at = offset;
    try {
      realmKeys.reserveSeals(key, states.size());
      for (int i = 0; i < states.size(); i++) {
        IkeSaState state = states.get(i);
        if (tickets != null) {
          tickets[i] = new byte[ticketLength(state)];
          prepare(key.keyId(), state, null, batch, tickets[i], 0);
        } else {
          at += prepare(key.keyId(), state, null, batch, out, at);
        }
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
      key.release();
    }
    return at - offset;
  }

  /**
   * Seals with a caller-chosen IV and time: for published test vectors only. Reusing an IV under a key
   * destroys GCM's security.
   */
  public byte[] sealWithFixedIvForTestVectorsOnly(String realm, IkeSaState state, byte[] iv, long nowSeconds) {
    RealmKeys realmKeys = realmKeys(realm);
    checkSealable(realmKeys, state);
    EpochKey key = realmKeys.sealKey(nowSeconds);
    try {
      AeadBatch batch = new AeadBatch(1);
      byte[] ticket = new byte[ticketLength(state)];
      prepare(key.keyId(), state, iv, batch, ticket, 0);
      key.aead().sealBatch(batch);
      return ticket;
    } finally {
      key.release();
    }
  }

  private RealmKeys realmKeys(String realm) {
    return realmKeys(keys, realm);
  }

  /** The realm's keys, for both sealers. */
  static RealmKeys realmKeys(KeySchedule keys, String realm) {
    RealmKeys realmKeys = keys.realm(realm);
    if (realmKeys == null) {
      throw new UnknownRealmException(realm);
    }
    return realmKeys;
  }

  /** Refuses a lifetime above the realm's maximum, for both sealers. */
  static void checkLifetime(RealmKeys realm, IkeSaState s) {
    long lifetime = s.expiresAtSeconds() - s.issuedAtSeconds();
    if (lifetime < 0) {
      // a caller that read an unsigned lifetime as signed: never seal a ticket that expired before it was issued
      throw new IllegalArgumentException("ticket lifetime " + lifetime + " s is negative (expires_at before issued_at)");
    }
    if (lifetime > realm.config().maxTicketLifetimeSeconds()) {
      throw new IllegalArgumentException("ticket lifetime " + lifetime + " s exceeds the maximum of realm "
          + realm.name() + " (" + realm.config().maxTicketLifetimeSeconds() + " s)");
    }
  }

  /** @return the ticket's length */
  private int checkSealable(RealmKeys realm, IkeSaState s) {
    checkLifetime(realm, s);
    int length = TicketFormat.ticketLength(StateCodec.encodedLength(s));
    if (length > maxTicketBytes) {
      throw new IllegalArgumentException("the ticket for this state would be " + length
          + " bytes, above max_ticket_bytes (" + maxTicketBytes + ")");
    }
    return length;
  }

  /**
   * Lays out header, IV and plaintext of a ticket at {@code ticket[at]} and queues its in-place
   * encryption.
   *
   * @return the ticket's length
   */
  private int prepare(long keyId, IkeSaState state, byte[] fixedIv, AeadBatch batch, byte[] ticket, int at) {
    int stateLength = StateCodec.encodedLength(state);
    TicketFormat.writeHeader(ticket, at, keyId);
    if (fixedIv == null) {
      ivs.next(ticket, at + TicketFormat.IV_OFFSET);
    } else {
      System.arraycopy(fixedIv, 0, ticket, at + TicketFormat.IV_OFFSET, AeadBackend.IV_SIZE_IN_BYTES);
    }
    StateCodec.encode(state, ticket, at + TicketFormat.CIPHERTEXT_OFFSET);
    batch.add(ticket, at + TicketFormat.IV_OFFSET, ticket, at, TicketFormat.HEADER_SIZE_IN_BYTES,
        ticket, at + TicketFormat.CIPHERTEXT_OFFSET, stateLength, ticket, at + TicketFormat.CIPHERTEXT_OFFSET);
    return TicketFormat.ticketLength(stateLength);
  }
}
