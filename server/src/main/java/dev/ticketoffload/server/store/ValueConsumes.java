package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A batch's consumes of tickets by value on a Redis Cluster, queued in its flush: per ticket one
 * atomic {@code SET key value NX GET PX ttl} ({@link RedisKeys}), as the keys lie in every slot. A
 * standalone server runs the same {@code SET}s inside one script call ({@link PackedValueBatch}).
 */
final class ValueConsumes {

  private final int[] items; // the batch's index of each consume queued, in order
  private final byte[][] values;
  private final java.util.List<RedisFuture<byte[]>> each;

  private ValueConsumes(int[] items, byte[][] values, java.util.List<RedisFuture<byte[]>> each) {
    this.items = items;
    this.values = values;
    this.each = each;
  }

  /**
   * Queues the consume of every item of {@code batch} not {@code byReference} (those are consumed by
   * their own {@link ReferenceScripts#OPEN} call).
   *
   * @param values per item, its {@link RedisKeys#value}
   * @param ttlMillis per item, its key's time to live
   */
  static ValueConsumes queue(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] realmTag,
      ConsumeBatch batch, boolean[] byReference, byte[][] values, long[] ttlMillis) {
    int n = 0;
    int[] items = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      if (!byReference[i]) {
        items[n++] = i;
      }
    }
    java.util.List<RedisFuture<byte[]>> each = new java.util.ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int i = items[k];
      each.add(commands.setGet(RedisKeys.key(realmTag, batch, i), values[i], SetArgs.Builder.nx().px(ttlMillis[i])));
    }
    return new ValueConsumes(java.util.Arrays.copyOf(items, n), values, each);
  }

  /** Answers each queued consume in {@code batch}, once every answer is in (by {@code deadlineNanos}). */
  void answer(ConsumeBatch batch, long deadlineNanos) throws InterruptedException, ExecutionException, TimeoutException {
    for (int k = 0; k < items.length; k++) {
      byte[] previous = each.get(k).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      int i = items[k];
      batch.answer(i, previous == null ? ConsumeResult.FIRST_USE
          : RedisKeys.sameAttempt(previous, values[i]) ? ConsumeResult.SAME_ATTEMPT : ConsumeResult.REPLAYED);
    }
  }
}
