package dev.ticketoffload.server.store;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.core.ticket.StoreLookups;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumed tickets of a whole fleet in Redis or Valkey ({@code --store redis://...}), standalone or
 * Cluster, through Lettuce: one shared connection (per node, for a Cluster), auto-flush off, so a
 * batch's consumes are queued and sent with one flush per batch and node, never a round trip per
 * ticket. Each consume is one atomic {@code SET key value NX GET PX ms} (Redis 7.0+, {@link RedisKeys};
 * on a standalone server a batch's are all run by one script call, {@link ValueConsumes}):
 * nil is a first use, our own attempt id an idempotent retry, anything else a replay; the key expires
 * with the ticket (its {@code expires_at} plus the skew, relative to the batch's "now", so clock
 * offsets between this host and Redis's do not shorten it). A ticket by reference is one atomic
 * {@link ReferenceScripts#OPEN} call instead, in the same flush: its revocation check, record fetch and
 * consume together, its keys in one Cluster slot ({@link StoreKeys}).
 *
 * <p>Quotas per realm ({@code max_replay_entries}) are kept in one hash per realm, {@code q ||
 * realm_tag}: a field per minute of expiry counts the first uses whose tickets expire in that
 * minute. Each batch adds its first uses there (sent with the next flush, not waited for); reservations
 * are refused against a total every instance re-reads once a second, so a realm may overshoot its
 * quota by what the fleet consumes in about a second, never more, and never takes another realm's room.
 *
 * <p>Fails closed: a batch the store does not answer within {@code --store-timeout-ms}, or a store
 * known to be down, is refused {@link StoreRefusedException.Reason#DOWN}; no consuming item is then
 * {@code OK}. One log line per change of state; a background probe notices the store back, so
 * consumes resume without a restart. An unreachable store at start is not fatal.
 */
public final class RedisStore implements ConsumeStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
  private static final Duration PROBE_EVERY = Duration.ofMillis(500);

  private final StoreAddress address;
  private final StorePasswordFile password;
  private final Duration timeout;
  private final java.nio.file.Path trustedCa;
  private final long skewSeconds;
  private final Timer flushTimer;
  private final MeterRegistry registry;
  private final Thread prober;
  private static final long QUOTA_BUCKET_SECONDS = 60;
  private static final Duration QUOTA_REFRESH = Duration.ofSeconds(1);

  private final java.util.function.ToLongFunction<String> quota;
  private final java.util.concurrent.ConcurrentHashMap<String, RealmCount> realms =
      new java.util.concurrent.ConcurrentHashMap<>();
  private long lastQuotaRefreshNanos;
  // the latest "now" a batch brought: the quota refresh judges expiry by it, not by a clock of its own
  private final java.util.concurrent.atomic.AtomicLong latestNowSeconds = new java.util.concurrent.atomic.AtomicLong();
  private volatile Connection connection;
  private volatile boolean up;
  private volatile boolean closed;
  private String lastProblem;

  /** A realm's tag and the fleet's count of its live records, as last read (plus this instance's since). */
  private static final class RealmCount {
    final byte[] tag;
    final byte[] quotaKey;
    final java.util.concurrent.atomic.AtomicLong live = new java.util.concurrent.atomic.AtomicLong();

    RealmCount(String realm) {
      tag = RedisKeys.realmTag(realm);
      quotaKey = new byte[] {'q', tag[0], tag[1], tag[2], tag[3]};
    }
  }

  /** The client and its one shared connection: standalone or Cluster, behind the same async commands. */
  private record Connection(ClientResources resources, AbstractRedisClient client,
      StatefulConnection<byte[], byte[]> stateful, RedisClusterAsyncCommands<byte[], byte[]> commands, String mode) {
    /**
     * A Cluster connects to each master on first use, and a command for a node still connecting is
     * rejected: connect to every master before declaring the store up.
     */
    void connectEveryNode() {
      if (stateful instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
        for (var node : cluster.getPartitions()) {
          // by host and port: the key slot routing uses (by node id it would be another connection)
          cluster.getConnection(node.getUri().getHost(), node.getUri().getPort());
        }
      }
    }

    boolean standalone() {
      return !(stateful instanceof StatefulRedisClusterConnection);
    }

    void close() {
      stateful.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts connecting in the background and returns at once; until the store answers, consumes are
   * refused {@code DOWN}.
   */
  public RedisStore(StoreAddress address, StorePasswordFile password, Duration timeout, long skewSeconds,
      MeterRegistry registry, java.util.function.ToLongFunction<String> quota) {
    this(address, password, null, timeout, skewSeconds, registry, quota);
  }

  /**
   * @param trustedCa with {@code rediss://}: PEM file of the only CAs trusted for the store's
   *     certificate; null: the JDK's trust store. The certificate must name the address either way.
   */
  public RedisStore(StoreAddress address, StorePasswordFile password, java.nio.file.Path trustedCa, Duration timeout,
      long skewSeconds, MeterRegistry registry, java.util.function.ToLongFunction<String> quota) {
    if (address.memory()) {
      throw new IllegalArgumentException("RedisStore needs a redis:// address");
    }
    this.address = address;
    this.password = password;
    this.trustedCa = trustedCa;
    this.timeout = timeout;
    this.skewSeconds = skewSeconds;
    this.registry = registry;
    this.quota = quota;
    this.flushTimer = Timer.builder("ticketoffload.store.op")
        .description("Time from a batch's flush to the store's last answer for it")
        .tag("op", "consume_batch").publishPercentileHistogram()
        .register(registry);
    this.prober = Thread.ofPlatform().daemon().name("store-probe").start(this::probeLoop);
  }

  @Override
  public StoreReservation reserve(String realm, int consumes, long nowSeconds) {
    Connection c = connection;
    if (consumes > 0 && (c == null || !up)) {
      throw down("store " + address + " is down; consuming opens fail until it answers (peeks and seals go on)");
    }
    latestNowSeconds.accumulateAndGet(nowSeconds, Math::max);
    RealmCount count = realms.computeIfAbsent(realm, RealmCount::new);
    long max = quota.applyAsLong(realm);
    if (consumes > 0 && count.live.get() + consumes > max) {
      throw new StoreRefusedException(StoreRefusedException.Reason.QUOTA, "replay guard full: realm " + realm
          + " holds its max_replay_entries (" + max + ") in the store; consuming opens resume as remembered "
          + "tickets expire (peeks still work)");
    }
    return new StoreReservation() {
      @Override
      public void consumeAll(String r, ConsumeBatch batch, long now) {
        consume(c, count, null, batch, now);
      }

      @Override
      public void lookUpAndConsume(String r, StoreLookups lookups, ConsumeBatch batch, long now) {
        consume(c, count, lookups, batch, now);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * One flush for the whole batch: per ticket by value its revocation checks ({@code lookups}, may
   * be {@code null}; {@link RevocationLookups}) and its consume ({@link ValueConsumes}); per ticket by
   * reference one {@link ReferenceScripts#OPEN} call (revocation, record and consume together). Then
   * every answer, within one deadline. A ticket by reference that is revoked or has no record is not
   * consumed: its consume answers {@link ConsumeResult#REPLAYED}, never a first use, and its lookup's
   * answer decides its outcome.
   */
  private void consume(Connection c, RealmCount count, StoreLookups lookups, ConsumeBatch batch, long nowSeconds) {
    byte[] realmTag = count.tag;
    if (c == null) {
      throw down("store " + address + " is not connected");
    }
    int n = batch.size();
    int m = lookups == null ? 0 : lookups.size();
    RedisScript.Calls opens = ReferenceScripts.OPEN.calls(c.commands(), m);
    boolean[] byReference = new boolean[n];
    byte[][] values = new byte[n][];
    long[] ttls = new long[n];
    long start = System.nanoTime();
    RevocationLookups revocations = RevocationLookups.queue(c.commands(), c.standalone(), realmTag, lookups);
    for (int i = 0; i < n; i++) {
      values[i] = RedisKeys.value(batch, i);
      ttls[i] = ttlMillis(batch, i, nowSeconds);
    }
    for (int j = 0; j < m; j++) {
      if (lookups.byReference(j)) {
        int i = lookups.consume(j);
        if (i >= 0) {
          byReference[i] = true;
        }
        opens.send(j, ReferenceScripts.openKeys(realmTag, lookups.refIdBuffer(j), lookups.refIdOffset(j)),
            i < 0 ? ReferenceScripts.peekArgs() : ReferenceScripts.consumeArgs(values[i], ttls[i]));
      }
    }
    ValueConsumes consumes = ValueConsumes.queue(c.commands(), c.standalone(), realmTag, batch, byReference, values,
        ttls);
    c.stateful().flushCommands();
    long deadline = start + timeout.toNanos();
    try {
      opens.awaitAll(c.stateful()::flushCommands, deadline);
      for (int j = 0; j < m; j++) {
        if (lookups.byReference(j)) {
          answerByReference(lookups, j, (List<?>) opens.result(j), batch, values);
        }
      }
      revocations.answer(lookups, deadline);
      consumes.answer(batch, c.stateful()::flushCommands, deadline);
      long firstUses = 0;
      long lastExpiry = 0;
      for (int i = 0; i < n; i++) {
        if (batch.result(i) == ConsumeResult.FIRST_USE) {
          firstUses++;
          lastExpiry = Math.max(lastExpiry, batch.expiresAtSeconds(i));
        }
      }
      if (firstUses > 0) {
        countFirstUses(c, count, firstUses, lastExpiry, nowSeconds);
      }
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      throw failedWaiting(e);
    } finally {
      flushTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** A ticket by reference's {@link ReferenceScripts#OPEN} reply: its lookup's answer, its consume's. */
  private static void answerByReference(StoreLookups lookups, int j, List<?> reply, ConsumeBatch batch,
      byte[][] values) {
    if (ReferenceScripts.revoked(reply)) {
      lookups.answerRevoked(j);
    }
    byte[] record = ReferenceScripts.record(reply);
    lookups.answerRecord(j, record);
    int i = lookups.consume(j);
    if (i < 0) {
      return;
    }
    byte[] found = ReferenceScripts.found(reply);
    batch.answer(i, record != null && ReferenceScripts.firstUse(reply) ? ConsumeResult.FIRST_USE
        : found != null && RedisKeys.sameAttempt(found, values[i]) ? ConsumeResult.SAME_ATTEMPT
        : ConsumeResult.REPLAYED);
  }

  /** Consume {@code i}'s time to live in the store: its ticket's expiry plus the skew, from the batch's now. */
  private long ttlMillis(ConsumeBatch batch, int i, long nowSeconds) {
    return Math.max(1, (batch.expiresAtSeconds(i) + skewSeconds - nowSeconds) * 1000);
  }

  /**
   * Adds a batch's first uses to its realm's count in the store, under the minute its last ticket
   * expires (an upper bound for the others): queued with the next flush, not waited for.
   */
  private void countFirstUses(Connection c, RealmCount count, long firstUses, long lastExpirySeconds,
      long nowSeconds) {
    count.live.addAndGet(firstUses);
    long bucket = Math.floorDiv(lastExpirySeconds + skewSeconds, QUOTA_BUCKET_SECONDS) + 1;
    c.commands().hincrby(count.quotaKey, Long.toString(bucket).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        firstUses);
    long ttlMillis = (bucket * QUOTA_BUCKET_SECONDS - nowSeconds) * 1000;
    c.commands().pexpire(count.quotaKey, Math.max(1, ttlMillis), io.lettuce.core.ExpireArgs.Builder.gt());
    c.commands().pexpire(count.quotaKey, Math.max(1, ttlMillis), io.lettuce.core.ExpireArgs.Builder.nx());
  }

  /**
   * Once a second: re-reads each realm's count from the store (the whole fleet's), dropping the
   * minutes whose tickets have all expired.
   */
  private void refreshQuotas(Connection c) throws Exception {
    long nowSeconds = latestNowSeconds.get();
    for (RealmCount count : realms.values()) {
      RedisFuture<java.util.Map<byte[], byte[]>> all = c.commands().hgetall(count.quotaKey);
      c.stateful().flushCommands();
      long live = 0;
      List<byte[]> gone = new ArrayList<>();
      for (var e : all.get(timeout.toMillis(), TimeUnit.MILLISECONDS).entrySet()) {
        long bucket = Long.parseLong(new String(e.getKey(), java.nio.charset.StandardCharsets.US_ASCII));
        if (bucket * QUOTA_BUCKET_SECONDS <= nowSeconds) {
          gone.add(e.getKey());
        } else {
          live += Long.parseLong(new String(e.getValue(), java.nio.charset.StandardCharsets.US_ASCII));
        }
      }
      if (!gone.isEmpty()) {
        c.commands().hdel(count.quotaKey, gone.toArray(byte[][]::new));
        c.stateful().flushCommands();
      }
      count.live.set(live);
    }
  }

  /**
   * One flush: per ticket the record's {@code SET PX} and its id's {@link ReferenceScripts#INDEX}
   * call; returns once every one was answered, so a revocation of the identity that begins after a
   * seal was answered finds its tickets.
   */
  @Override
  public void putRecords(String realm, SealedReference[] sealed, long nowSeconds) {
    Connection c = connection;
    if (c == null || !up) {
      throw down("store " + address + " is down; seals by reference and revocations fail until it answers");
    }
    byte[] tag = RedisKeys.realmTag(realm);
    long start = System.nanoTime();
    List<RedisFuture<String>> records = new ArrayList<>(sealed.length);
    RedisScript.Calls indexes = ReferenceScripts.INDEX.calls(c.commands(), sealed.length);
    byte[] pruneUpTo = ReferenceScripts.ascii(nowSeconds - ReferenceScripts.PRUNE_MARGIN_SECONDS);
    for (int i = 0; i < sealed.length; i++) {
      long until = sealed[i].expiresAtSeconds() + skewSeconds;
      long ttlMillis = Math.max(1, (until - nowSeconds) * 1000);
      records.add(c.commands().set(StoreKeys.record(tag, sealed[i].id(), 0), sealed[i].record(),
          SetArgs.Builder.px(ttlMillis)));
      indexes.send(i, new byte[][] {StoreKeys.identityIndex(tag, sealed[i])}, sealed[i].id(),
          ReferenceScripts.ascii(until), pruneUpTo, ReferenceScripts.ascii(ttlMillis));
    }
    c.stateful().flushCommands();
    long deadline = start + timeout.toNanos();
    try {
      for (RedisFuture<String> f : records) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      indexes.awaitAll(c.stateful()::flushCommands, deadline);
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      throw failedWaiting(e);
    }
  }

  /**
   * Reads the index of every identity revoked (one flush), then writes every revocation: as given,
   * plus one under each indexed id of a live ticket by reference, kept until that ticket expires (a
   * second flush). A ticket whose seal was answered before this began is in its index, so covered.
   */
  @Override
  public void revoke(String realm, List<Revocation> revocations, long nowSeconds) {
    Connection c = connection;
    if (c == null || !up) {
      throw down("store " + address + " is down; seals by reference and revocations fail until it answers");
    }
    byte[] tag = RedisKeys.realmTag(realm);
    List<byte[][]> writes = new ArrayList<>(revocations.size());
    List<Long> ttls = new ArrayList<>(revocations.size());
    List<RedisFuture<List<io.lettuce.core.ScoredValue<byte[]>>>> indexes = new ArrayList<>();
    List<byte[]> indexedRevokedAt = new ArrayList<>();
    long start = System.nanoTime();
    for (Revocation r : revocations) {
      writes.add(new byte[][] {r.key(tag), StoreKeys.revokedAt(r.revokedAtSeconds())});
      ttls.add(Math.max(1, (r.untilSeconds() - nowSeconds) * 1000));
      if (r.kind() == Revocation.Kind.IDENTITY) {
        indexes.add(c.commands().zrangeWithScores(r.indexKey(tag), 0, -1));
        indexedRevokedAt.add(StoreKeys.revokedAt(r.revokedAtSeconds()));
      }
    }
    if (!indexes.isEmpty()) {
      c.stateful().flushCommands();
      long deadline = start + timeout.toNanos();
      try {
        for (int k = 0; k < indexes.size(); k++) {
          for (var id : indexes.get(k).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            long until = (long) id.getScore();
            if (until > nowSeconds) {
              writes.add(new byte[][] {StoreKeys.revokedByReference(tag, id.getValue(), 0), indexedRevokedAt.get(k)});
              ttls.add((until - nowSeconds) * 1000);
            }
          }
        }
      } catch (TimeoutException | ExecutionException | InterruptedException e) {
        throw failedWaiting(e);
      }
    }
    write(c, writes, ttls);
  }

  /** {@code SET key value PX ttl} per pair, one flush, every answer within the timeout; fails closed. */
  private void write(Connection c, List<byte[][]> writes, List<Long> ttlMillis) {
    long start = System.nanoTime();
    List<RedisFuture<String>> futures = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      futures.add(c.commands().set(writes.get(i)[0], writes.get(i)[1], SetArgs.Builder.px(ttlMillis.get(i))));
    }
    c.stateful().flushCommands();
    long deadline = start + timeout.toNanos();
    try {
      for (RedisFuture<String> f : futures) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      throw failedWaiting(e);
    }
  }

  /** A batch's wait that did not end in answers: it fails closed, counted by kind. */
  private StoreRefusedException failedWaiting(Exception e) {
    if (e instanceof TimeoutException) {
      // the store stays "up": a slow answer is not a lost connection
      return failed("timeout", "store " + address + " did not answer within --store-timeout-ms ("
          + timeout.toMillis() + " ms)", false);
    }
    if (e instanceof ExecutionException x) {
      Throwable cause = x.getCause();
      String kind = cause instanceof RedisCommandExecutionException ? "command" : "connection";
      return failed(kind, "store " + address + " failed: " + firstLine(cause), true);
    }
    Thread.currentThread().interrupt();
    return failed("interrupted", "interrupted while waiting for store " + address, false);
  }

  /**
   * Counts a failed batch; {@code down}: the store looks gone (connection, cluster errors), so
   * consumes are refused at admission until the probe hears from it again.
   */
  private StoreRefusedException failed(String kind, String message, boolean down) {
    countError(kind);
    if (down) {
      markDown(message);
    }
    return down(message);
  }

  private void countError(String kind) {
    Counter.builder("ticketoffload.store.errors").description("Store operations that failed, by kind")
        .tag("kind", kind).register(registry).increment();
  }

  private static StoreRefusedException down(String message) {
    return new StoreRefusedException(StoreRefusedException.Reason.DOWN, message);
  }

  private synchronized void markDown(String problem) {
    if (up || !problem.equals(lastProblem)) {
      LOG.warn("store down: {}; consuming opens fail UNAVAILABLE until it answers", problem);
    }
    up = false;
    lastProblem = problem;
  }

  private synchronized void markUp(Connection c) {
    if (!up) {
      LOG.info("store up: {} ({}); consuming opens served", address, c.mode());
    }
    up = true;
    lastProblem = null;
  }

  /** Connects (and reconnects) in the background; while down, pings until the store answers. */
  private void probeLoop() {
    while (!closed) {
      try {
        Connection c = connection;
        if (c == null) {
          c = connect();
          connection = c;
        }
        if (up && System.nanoTime() - lastQuotaRefreshNanos > QUOTA_REFRESH.toNanos()) {
          lastQuotaRefreshNanos = System.nanoTime();
          try {
            refreshQuotas(c);
          } catch (Exception e) {
            // the counts stay as they were (this instance's own consumes still add up); batches
            // themselves say whether the store is down
            countError("quota_refresh");
          }
        }
        if (!up) {
          c.connectEveryNode();
          RedisFuture<String> ping = c.commands().ping();
          c.stateful().flushCommands(); // auto-flush is off on the shared connection
          String pong = ping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          if ("PONG".equals(pong)) {
            markUp(c);
          }
        }
      } catch (Exception e) {
        if (!closed) {
          markDown("store " + address + " unreachable: " + firstLine(e));
        }
      }
      try {
        Thread.sleep(PROBE_EVERY);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Connection connect() throws Exception {
    List<RedisURI> uris = address.nodes().stream().map(this::uri).toList();
    // Lettuce's own per-command latency recording costs about 4% of a Redis-store instance's CPU in
    // an open storm (JFR, README); ticketoffload_store_op_seconds already times each batch.
    ClientResources resources = DefaultClientResources.builder()
        .commandLatencyRecorder(CommandLatencyRecorder.disabled()).build();
    try {
      return connect(resources, uris);
    } catch (Exception | Error e) {
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  private Connection connect(ClientResources resources, List<RedisURI> uris) throws Exception {
    if (uris.size() == 1) {
      RedisClient client = RedisClient.create(resources, uris.get(0));
      client.setOptions(ClientOptions.builder().autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socketOptions()).sslOptions(sslOptions()).timeoutOptions(TimeoutOptions.enabled(timeout))
          .build());
      StatefulRedisConnection<byte[], byte[]> conn;
      try {
        conn = client.connect(ByteArrayCodec.INSTANCE);
      } catch (RuntimeException e) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        throw e;
      }
      if (!isCluster(conn)) {
        conn.setAutoFlushCommands(false);
        return new Connection(resources, client, conn, conn.async(), "standalone");
      }
      conn.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
    RedisClusterClient client = RedisClusterClient.create(resources, uris);
    client.setOptions(ClusterClientOptions.builder().autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(socketOptions()).sslOptions(sslOptions()).timeoutOptions(TimeoutOptions.enabled(timeout))
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(Duration.ofSeconds(5)).build())
        .build());
    StatefulRedisClusterConnection<byte[], byte[]> conn;
    try {
      conn = client.connect(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      throw e;
    }
    conn.setAutoFlushCommands(false);
    return new Connection(resources, client, conn, conn.async(), "cluster");
  }

  private static boolean isCluster(StatefulRedisConnection<byte[], byte[]> conn) {
    String info = conn.sync().info("cluster");
    return info != null && info.contains("cluster_enabled:1");
  }

  private SslOptions sslOptions() {
    SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
    if (trustedCa != null) {
      ssl.trustManager(trustedCa.toFile());
    }
    return ssl.build();
  }

  private SocketOptions socketOptions() {
    return SocketOptions.builder().connectTimeout(Duration.ofMillis(Math.max(timeout.toMillis(), 1000)))
        .keepAlive(true).build();
  }

  private RedisURI uri(StoreAddress.Node node) {
    RedisURI.Builder b = RedisURI.Builder.redis(node.host(), node.port()).withSsl(address.tls())
        .withVerifyPeer(SslVerifyMode.FULL)
        .withTimeout(timeout);
    if (password != null) {
      if (password.user() != null) {
        b.withAuthentication(password.user(), password.password());
      } else {
        b.withPassword(password.password());
      }
    }
    return b.build();
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public boolean up() {
    return up;
  }

  @Override
  public void close() {
    closed = true;
    prober.interrupt();
    try {
      prober.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "RedisStore[" + address + ", up=" + up + "]";
  }
}
