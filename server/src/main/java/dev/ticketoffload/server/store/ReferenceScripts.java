package dev.ticketoffload.server.store;

import io.lettuce.core.ScriptOutputType;
import java.util.List;

/**
 * The two scripts of tickets by reference in Redis ({@link StoreKeys} names the keys).
 *
 * <p>{@link #OPEN}, one call per ticket opened by reference, all three keys in the id's hash slot:
 * the revocation check, the record fetch and the consume decided together, atomically.
 *
 * <pre>
 * KEYS  revoked by ref., consumed by ref., record
 * ARGV  the consume's value (RedisKeys#value; empty: a peek), its time to live in ms
 * reply {1}                        revoked (nothing consumed)
 *       {0}                        no record: flushed, evicted, expired (nothing consumed)
 *       {0, record}                a first use (recorded now), or a peek
 *       {0, record, found value}   consumed before: by this attempt (a retry) or another (a replay)
 * </pre>
 *
 * <p>{@link #INDEX}, one call per ticket sealed by reference, sent in the seal's flush beside the
 * record's {@code SET}: adds the id to its identity's index, a sorted set scored by the ticket's
 * expiry (plus skew), drops the ids of tickets expired more than {@link #PRUNE_MARGIN_SECONDS} ago (so
 * an identity that seals every hour for a year holds only its live tickets), and keeps the set as long
 * as its longest-lived ticket ({@code PEXPIRE GT}; {@code NX} for a new set, which GT would leave
 * without expiry).
 *
 * <pre>
 * KEYS  the identity's index
 * ARGV  id, its score (expires_at + skew), prune scores up to it, the set's time to live in ms
 * </pre>
 */
final class ReferenceScripts {

  /** Ids expired this long are pruned from an index: room for clock offsets between instances. */
  static final long PRUNE_MARGIN_SECONDS = 60;

  static final RedisScript OPEN = new RedisScript("""
      if redis.call('GET', KEYS[1]) then return {1} end
      local record = redis.call('GET', KEYS[3])
      if not record then return {0} end
      if ARGV[1] == '' then return {0, record} end
      local found = redis.call('SET', KEYS[2], ARGV[1], 'NX', 'GET', 'PX', ARGV[2])
      if found then return {0, record, found} end
      return {0, record}
      """, ScriptOutputType.MULTI);

  static final RedisScript INDEX = new RedisScript("""
      redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
      if redis.call('PEXPIRE', KEYS[1], ARGV[4], 'GT') == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4], 'NX') end
      return 1
      """, ScriptOutputType.INTEGER);

  private static final byte[] PEEK = new byte[0];

  private ReferenceScripts() {}

  static byte[][] openKeys(byte[] realmTag, byte[] id, int idOffset) {
    return new byte[][] {StoreKeys.revokedByReference(realmTag, id, idOffset),
        StoreKeys.consumedByReference(realmTag, id, idOffset), StoreKeys.record(realmTag, id, idOffset)};
  }

  /** The arguments of a peek (nothing consumed). */
  static byte[][] peekArgs() {
    return new byte[][] {PEEK, ascii(0)};
  }

  static byte[][] consumeArgs(byte[] value, long ttlMillis) {
    return new byte[][] {value, ascii(ttlMillis)};
  }

  static byte[] ascii(long n) {
    return Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Whether an {@link #OPEN} reply says revoked. */
  static boolean revoked(List<?> reply) {
    return ((Long) reply.get(0)) == 1L;
  }

  /** The record in an {@link #OPEN} reply, {@code null} when there is none (or revoked). */
  static byte[] record(List<?> reply) {
    return reply.size() > 1 ? (byte[]) reply.get(1) : null;
  }

  /** Whether an {@link #OPEN} reply of a consume recorded it now. */
  static boolean firstUse(List<?> reply) {
    return reply.size() == 2;
  }

  /** The value an earlier consume left, in an {@link #OPEN} reply; {@code null} if none. */
  static byte[] found(List<?> reply) {
    return reply.size() > 2 ? (byte[]) reply.get(2) : null;
  }
}
