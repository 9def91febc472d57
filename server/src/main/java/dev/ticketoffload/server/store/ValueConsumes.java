package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A batch's consumes of tickets by value in Redis, queued in its flush: per ticket one atomic
 * {@code SET key value NX GET PX ttl} ({@link RedisKeys}). Standalone: all of them inside one
 * {@link #CONSUME_ALL} script call, since each command costs the client far more than a key does
 * (encoding, dispatch, decoding, a future) and the server one parse each; the script runs the same
 * {@code SET} per key, atomically with the rest of the batch. Cluster: one {@code SET} per ticket, as
 * the keys lie in every slot (a script's keys must share one).
 *
 * <pre>
 * KEYS  the batch's consume keys
 * ARGV  per key: its value, its time to live in ms
 * reply per key: 0 (a first use: nil, which would end a Lua array) or the value found (an earlier consume)
 * </pre>
 */
final class ValueConsumes {

  static final RedisScript CONSUME_ALL = new RedisScript("""
      local found = {}
      for i = 1, #KEYS do
        found[i] = redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'NX', 'GET', 'PX', ARGV[2 * i]) or 0
      end
      return found
      """, ScriptOutputType.MULTI);

  private final int[] items; // the batch's index of each consume queued, in order
  private final byte[][] values;
  private final RedisScript.Calls all;
  private final RedisFuture<?>[] each;

  private ValueConsumes(int[] items, byte[][] values, RedisScript.Calls all, RedisFuture<?>[] each) {
    this.items = items;
    this.values = values;
    this.all = all;
    this.each = each;
  }

  /**
   * Queues the consume of every item of {@code batch} not {@code byReference} (those are consumed by
   * their own {@link ReferenceScripts#OPEN} call).
   *
   * @param values per item, its {@link RedisKeys#value}
   * @param ttlMillis per item, its key's time to live
   */
  static ValueConsumes queue(RedisClusterAsyncCommands<byte[], byte[]> commands, boolean oneCommand,
      byte[] realmTag, ConsumeBatch batch, boolean[] byReference, byte[][] values, long[] ttlMillis) {
    int n = 0;
    int[] items = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      if (!byReference[i]) {
        items[n++] = i;
      }
    }
    if (n == 0) {
      return new ValueConsumes(new int[0], values, null, null);
    }
    if (oneCommand) {
      byte[][] keys = new byte[n][];
      byte[][] args = new byte[2 * n][];
      for (int k = 0; k < n; k++) {
        int i = items[k];
        keys[k] = RedisKeys.key(realmTag, batch, i);
        args[2 * k] = values[i];
        // a batch's tickets mostly share their expiry second: one ttl argument for a run of them
        boolean sameTtl = k > 0 && ttlMillis[i] == ttlMillis[items[k - 1]];
        args[2 * k + 1] = sameTtl ? args[2 * k - 1] : ReferenceScripts.ascii(ttlMillis[i]);
      }
      RedisScript.Calls all = CONSUME_ALL.calls(commands, 1);
      all.send(0, keys, args);
      return new ValueConsumes(java.util.Arrays.copyOf(items, n), values, all, null);
    }
    RedisFuture<?>[] each = new RedisFuture<?>[n];
    for (int k = 0; k < n; k++) {
      int i = items[k];
      each[k] = commands.setGet(RedisKeys.key(realmTag, batch, i), values[i], SetArgs.Builder.nx().px(ttlMillis[i]));
    }
    return new ValueConsumes(java.util.Arrays.copyOf(items, n), values, null, each);
  }

  /** Answers each queued consume in {@code batch}, once every answer is in (by {@code deadlineNanos}). */
  void answer(ConsumeBatch batch, Runnable flush, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<?> found = null;
    if (all != null) {
      all.awaitAll(flush, deadlineNanos);
      found = (List<?>) all.result(0);
    }
    for (int k = 0; k < items.length; k++) {
      Object reply = found != null ? found.get(k)
          : each[k].get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      byte[] previous = reply instanceof byte[] value ? value : null;
      int i = items[k];
      batch.answer(i, previous == null ? ConsumeResult.FIRST_USE
          : RedisKeys.sameAttempt(previous, values[i]) ? ConsumeResult.SAME_ATTEMPT : ConsumeResult.REPLAYED);
    }
  }
}
