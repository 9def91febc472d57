package dev.ticketoffload.server.store;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Lua script the store runs as one atomic command per ticket: sent as {@code EVALSHA} (the digest
 * only), and re-sent once as {@code EVAL} (the source, which also loads it) by a node that answers
 * {@code NOSCRIPT}: one that restarted, was failed over to, or had its script cache flushed. A call
 * that got {@code NOSCRIPT} did not run, so sending it again cannot apply it twice. A Cluster routes
 * each call by its first key; every key of a call must share its hash slot.
 */
final class RedisScript {

  private final byte[] source;
  private final String sha1;
  private final ScriptOutputType type;

  RedisScript(String source, ScriptOutputType type) {
    this.source = source.getBytes(StandardCharsets.UTF_8);
    this.type = type;
    try {
      this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.source));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /** The calls of one batch, each queued (not flushed) and then awaited together. Not thread-safe. */
  Calls calls(RedisClusterAsyncCommands<byte[], byte[]> commands, int capacity) {
    return new Calls(commands, capacity);
  }

  final class Calls {
    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final byte[][][] keys;
    private final byte[][][] args;
    private final RedisFuture<?>[] futures;
    private final Object[] results;

    private Calls(RedisClusterAsyncCommands<byte[], byte[]> commands, int capacity) {
      this.commands = commands;
      keys = new byte[capacity][][];
      args = new byte[capacity][][];
      futures = new RedisFuture<?>[capacity];
      results = new Object[capacity];
    }

    /** Queues call {@code i}; sent with the connection's next flush. */
    void send(int i, byte[][] keys, byte[]... args) {
      this.keys[i] = keys;
      this.args[i] = args;
      futures[i] = commands.evalsha(sha1, type, keys, args);
    }

    boolean sent(int i) {
      return futures[i] != null;
    }

    /**
     * Waits for every call until {@code deadlineNanos}; those a node did not hold the script for are
     * sent again with its source, flushed by {@code flush}, and waited for too.
     */
    void awaitAll(Runnable flush, long deadlineNanos)
        throws InterruptedException, ExecutionException, TimeoutException {
      boolean[] resent = null;
      for (int i = 0; i < futures.length; i++) {
        if (futures[i] == null) {
          continue;
        }
        try {
          results[i] = await(futures[i], deadlineNanos);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof RedisNoScriptException)) {
            throw e;
          }
          futures[i] = commands.eval(source, type, keys[i], args[i]);
          if (resent == null) {
            resent = new boolean[futures.length];
          }
          resent[i] = true;
        }
      }
      if (resent == null) {
        return;
      }
      flush.run();
      for (int i = 0; i < futures.length; i++) {
        if (resent[i]) {
          results[i] = await(futures[i], deadlineNanos);
        }
      }
    }

    /** The answer of call {@code i}, once {@link #awaitAll} returned. */
    Object result(int i) {
      return results[i];
    }
  }

  private static Object await(RedisFuture<?> f, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
