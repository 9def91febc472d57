package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.StoreLookups;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A batch's revocation checks of tickets by value in Redis, queued with its consumes (same flush):
 * whether each ticket and its identity are revoked. Standalone: one {@code MGET} for the
 * whole batch, since each command costs the client far more than a key does (encoding, dispatch,
 * decoding, a future). Cluster: a {@code GET} per key, as the keys lie in every slot.
 */
final class RevocationLookups {

  private final boolean[] asked; // per lookup: ticket, identity
  private final RedisFuture<List<KeyValue<byte[], byte[]>>> all;
  private final List<RedisFuture<byte[]>> each;

  private RevocationLookups(boolean[] asked, RedisFuture<List<KeyValue<byte[], byte[]>>> all,
      List<RedisFuture<byte[]>> each) {
    this.asked = asked;
    this.all = all;
    this.each = each;
  }

  /** Queues the checks of {@code lookups} (may be {@code null}: nothing to check). */
  static RevocationLookups queue(RedisClusterAsyncCommands<byte[], byte[]> commands, boolean oneCommand,
      byte[] realmTag, StoreLookups lookups) {
    int m = lookups == null ? 0 : lookups.size();
    boolean[] asked = new boolean[2 * m];
    byte[][] keys = new byte[2 * m][];
    int n = 0;
    for (int j = 0; j < m; j++) {
      if (lookups.byReference(j)) {
        continue; // checked by the ticket's own script call (ReferenceScripts)
      }
      if (lookups.checkTicket(j)) {
        asked[2 * j] = true;
        keys[n++] = StoreKeys.revokedTicket(realmTag, lookups.keyId(j), lookups.ivBuffer(j), lookups.ivOffset(j));
      }
      if (lookups.hasIdentity(j)) {
        asked[2 * j + 1] = true;
        keys[n++] = StoreKeys.revokedIdentity(realmTag, lookups, j);
      }
    }
    if (n == 0) {
      return new RevocationLookups(asked, null, null);
    }
    if (oneCommand) {
      return new RevocationLookups(asked, commands.mget(n == keys.length ? keys : java.util.Arrays.copyOf(keys, n)),
          null);
    }
    List<RedisFuture<byte[]>> each = new java.util.ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      each.add(commands.get(keys[k]));
    }
    return new RevocationLookups(asked, null, each);
  }

  /** Marks the revoked lookups, once every answer is in (by {@code deadlineNanos}). */
  void answer(StoreLookups lookups, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<KeyValue<byte[], byte[]>> values = all == null ? null
        : all.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    int k = 0;
    for (int j = 0; 2 * j < asked.length; j++) {
      byte[] ticket = asked[2 * j] ? value(values, k++, deadlineNanos) : null;
      byte[] identity = asked[2 * j + 1] ? value(values, k++, deadlineNanos) : null;
      if (ticket != null || StoreKeys.covers(identity, lookups.issuedAtSeconds(j))) {
        lookups.answerRevoked(j);
      }
    }
  }

  private byte[] value(List<KeyValue<byte[], byte[]>> values, int k, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (values != null) {
      return values.get(k).getValueOrElse(null);
    }
    return each.get(k).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
