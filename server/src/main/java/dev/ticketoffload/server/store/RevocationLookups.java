package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.StoreLookups;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A batch's revocation checks of tickets by value on a Redis Cluster, queued with its consumes (same
 * flush): a {@code GET} per key, whether each ticket and its identity are revoked, as the keys lie in
 * every slot. A standalone server runs them inside one script call ({@link PackedValueBatch}).
 */
final class RevocationLookups {

  private final boolean[] asked; // per lookup: ticket, identity
  private final List<RedisFuture<byte[]>> each;

  private RevocationLookups(boolean[] asked, List<RedisFuture<byte[]>> each) {
    this.asked = asked;
    this.each = each;
  }

  /** Queues the checks of {@code lookups} (may be {@code null}: nothing to check). */
  static RevocationLookups queue(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] realmTag,
      StoreLookups lookups) {
    int m = lookups == null ? 0 : lookups.size();
    boolean[] asked = new boolean[2 * m];
    List<RedisFuture<byte[]>> each = new java.util.ArrayList<>(2 * m);
    for (int j = 0; j < m; j++) {
      if (lookups.byReference(j)) {
        continue; // checked by the ticket's own script call (ReferenceScripts)
      }
      if (lookups.checkTicket(j)) {
        asked[2 * j] = true;
        each.add(commands.get(StoreKeys.revokedTicket(realmTag, lookups.keyId(j), lookups.ivBuffer(j),
            lookups.ivOffset(j))));
      }
      if (lookups.hasIdentity(j)) {
        asked[2 * j + 1] = true;
        each.add(commands.get(StoreKeys.revokedIdentity(realmTag, lookups, j)));
      }
    }
    return new RevocationLookups(asked, each);
  }

  /** Marks the revoked lookups, once every answer is in (by {@code deadlineNanos}). */
  void answer(StoreLookups lookups, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    int k = 0;
    for (int j = 0; 2 * j < asked.length; j++) {
      byte[] ticket = asked[2 * j] ? value(k++, deadlineNanos) : null;
      byte[] identity = asked[2 * j + 1] ? value(k++, deadlineNanos) : null;
      if (ticket != null || StoreKeys.covers(identity, lookups.issuedAtSeconds(j))) {
        lookups.answerRevoked(j);
      }
    }
  }

  private byte[] value(int k, long deadlineNanos) throws InterruptedException, ExecutionException, TimeoutException {
    return each.get(k).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
