package dev.ticketoffload.server.store;

import dev.ticketoffload.core.format.Bytes;
import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.core.ticket.StoreLookups;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * On a standalone server, a batch's tickets by value in one script call: their revocation checks
 * (a {@code GET} of each ticket's and identity's revocation key, {@link StoreKeys}) and then their
 * consumes (the same atomic {@code SET key value NX GET PX ttl} per ticket as on a Cluster,
 * {@link ValueConsumes}). The keys are built inside the script from two packed arguments, and the
 * answers come back as one string: the client encodes and decodes three values per batch, not one
 * or more per ticket, which is where a storm spent the Redis store's client CPU (Lettuce's argument
 * and reply objects). A Cluster cannot take this: its keys lie in every slot, and a script may touch
 * only keys it declares in one slot; a standalone server lets it build them.
 *
 * <pre>
 * ARGV[1]  realm_tag (4)
 * ARGV[2]  per check: 'x' || key_id (8) || iv (12)  (the ticket)  or  'i' || master_id (2) || identity (16)
 * ARGV[3]  per consume: key_id (8) || iv (12) || ttl_ms (6, big-endian) || length (1) || value (RedisKeys#value)
 * reply    per check: 0x00 (not revoked) | 0x01 || the 8-byte value found | 0x02 (a value of another length);
 *          then per consume: 'F' first use | 'S' its own attempt again | 'R' another consume's value
 * </pre>
 */
final class PackedValueBatch {

  static final RedisScript SCRIPT = new RedisScript("""
      local tag, checks, consumes = ARGV[1], ARGV[2], ARGV[3]
      local out = {}
      local p = 1
      while p <= #checks do
        local kind = string.sub(checks, p, p)
        local n = kind == 'x' and 20 or 18
        local v = redis.call('GET', kind .. tag .. string.sub(checks, p + 1, p + n))
        if not v then out[#out + 1] = '\\0' elseif #v == 8 then out[#out + 1] = '\\1' .. v else out[#out + 1] = '\\2' end
        p = p + 1 + n
      end
      p = 1
      while p <= #consumes do
        local a, b, c, d, e, f = string.byte(consumes, p + 20, p + 25)
        local ttl = ((((a * 256 + b) * 256 + c) * 256 + d) * 256 + e) * 256 + f
        local len = string.byte(consumes, p + 26)
        local value = string.sub(consumes, p + 27, p + 26 + len)
        local found = redis.call('SET', 't' .. tag .. string.sub(consumes, p, p + 19), value, 'NX', 'GET',
            'PX', string.format('%d', ttl))
        if not found then out[#out + 1] = 'F' elseif len > 1 and found == value then out[#out + 1] = 'S'
        else out[#out + 1] = 'R' end
        p = p + 27 + len
      end
      return table.concat(out)
      """, ScriptOutputType.VALUE);

  private static final int TICKET_CHECK_BYTES = 1 + 8 + 12;
  private static final int IDENTITY_CHECK_BYTES = 1 + 2 + 16;
  private static final int CONSUME_FIXED_BYTES = 8 + 12 + 6 + 1;
  private static final long MAX_TTL_MILLIS = (1L << 48) - 1;

  private final boolean[] byReference;
  private final RedisScript.Calls call;

  private PackedValueBatch(boolean[] byReference, RedisScript.Calls call) {
    this.byReference = byReference;
    this.call = call;
  }

  /**
   * Queues the checks of {@code lookups} (may be {@code null}) and the consumes of {@code batch}, both
   * but for tickets by reference (their own {@link ReferenceScripts#OPEN} call does both).
   *
   * @param values per item, its {@link RedisKeys#value}
   * @param ttlMillis per item, its key's time to live
   */
  static PackedValueBatch queue(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] realmTag,
      StoreLookups lookups, ConsumeBatch batch, boolean[] byReference, byte[][] values, long[] ttlMillis) {
    int m = lookups == null ? 0 : lookups.size();
    int checkBytes = 0;
    for (int j = 0; j < m; j++) {
      if (!lookups.byReference(j)) {
        checkBytes += (lookups.checkTicket(j) ? TICKET_CHECK_BYTES : 0) + (lookups.hasIdentity(j) ? IDENTITY_CHECK_BYTES : 0);
      }
    }
    int consumeBytes = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (!byReference[i]) {
        consumeBytes += CONSUME_FIXED_BYTES + values[i].length;
      }
    }
    if (checkBytes == 0 && consumeBytes == 0) {
      return new PackedValueBatch(byReference, null);
    }
    byte[] checks = new byte[checkBytes];
    int p = 0;
    for (int j = 0; j < m; j++) {
      if (lookups.byReference(j)) {
        continue;
      }
      if (lookups.checkTicket(j)) {
        checks[p] = 'x';
        Bytes.putLong(checks, p + 1, lookups.keyId(j));
        System.arraycopy(lookups.ivBuffer(j), lookups.ivOffset(j), checks, p + 9, 12);
        p += TICKET_CHECK_BYTES;
      }
      if (lookups.hasIdentity(j)) {
        checks[p] = 'i';
        Bytes.putShort(checks, p + 1, (int) (lookups.keyId(j) >>> 48));
        System.arraycopy(lookups.identityKeys(), lookups.identityKeyOffset(j), checks, p + 3, 16);
        p += IDENTITY_CHECK_BYTES;
      }
    }
    byte[] consumes = new byte[consumeBytes];
    p = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (byReference[i]) {
        continue;
      }
      Bytes.putLong(consumes, p, batch.keyId(i));
      System.arraycopy(batch.ivBuffer(i), batch.ivOffset(i), consumes, p + 8, 12);
      long ttl = Math.min(ttlMillis[i], MAX_TTL_MILLIS); // 8,900 years: no ticket lives that long
      for (int b = 0; b < 6; b++) {
        consumes[p + 20 + b] = (byte) (ttl >>> (40 - 8 * b));
      }
      byte[] value = values[i];
      consumes[p + 26] = (byte) value.length; // at most 17 bytes (RedisKeys#value)
      System.arraycopy(value, 0, consumes, p + 27, value.length);
      p += CONSUME_FIXED_BYTES + value.length;
    }
    RedisScript.Calls call = SCRIPT.calls(commands, 1);
    call.send(0, new byte[0][], realmTag, checks, consumes);
    return new PackedValueBatch(byReference, call);
  }

  /**
   * Marks the revoked lookups and answers each queued consume, once the reply is in (by
   * {@code deadlineNanos}); a reply that does not match what was sent fails the batch.
   */
  void answer(StoreLookups lookups, ConsumeBatch batch, Runnable flush, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (call == null) {
      return;
    }
    call.awaitAll(flush, deadlineNanos);
    byte[] reply = (byte[]) call.result(0);
    try {
      int p = 0;
      int m = lookups == null ? 0 : lookups.size();
      for (int j = 0; j < m; j++) {
        if (lookups.byReference(j)) {
          continue;
        }
        boolean revoked = false;
        if (lookups.checkTicket(j)) {
          revoked = reply[p] != 0;
          p += reply[p] == 1 ? 9 : 1;
        }
        if (lookups.hasIdentity(j)) {
          revoked |= reply[p] == 1 && StoreKeys.covers(Bytes.getLong(reply, p + 1), lookups.issuedAtSeconds(j));
          p += reply[p] == 1 ? 9 : 1;
        }
        if (revoked) {
          lookups.answerRevoked(j);
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        if (byReference[i]) {
          continue;
        }
        batch.answer(i, switch (reply[p++]) {
          case 'F' -> ConsumeResult.FIRST_USE;
          case 'S' -> ConsumeResult.SAME_ATTEMPT;
          case 'R' -> ConsumeResult.REPLAYED;
          default -> throw new IllegalStateException("answer " + reply[p - 1]);
        });
      }
      if (p != reply.length) {
        throw new IllegalStateException((reply.length - p) + " bytes more than asked for");
      }
    } catch (RuntimeException e) {
      throw new ExecutionException("the store's reply to a batch does not match the batch (" + e.getMessage() + ")", e);
    }
  }
}
