package dev.ticketoffload.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real {@code redis-server} processes for tests, on free loopback ports in temporary directories,
 * no persistence: {@link #standalone()} or a 3-master {@link #cluster()}. Needs Debian's
 * {@code redis-server} (and {@code redis-cli}) on the PATH; {@code .ci/run} installs it.
 */
public final class RedisServers implements AutoCloseable {

  /** One redis-server process. */
  public static final class Node {
    public final int port;
    final Path dir;
    final List<String> extraArgs;
    /** The CA of its certificate when it listens with TLS only ({@link #tls}); null: plain. */
    final Path tlsCa;
    Process process;

    Node(int port, Path dir, List<String> extraArgs) {
      this(port, dir, extraArgs, null);
    }

    Node(int port, Path dir, List<String> extraArgs, Path tlsCa) {
      this.port = port;
      this.dir = dir;
      this.extraArgs = extraArgs;
      this.tlsCa = tlsCa;
    }

    public String address() {
      return "127.0.0.1:" + port;
    }

    /** Starts it (again, after {@link #kill}: same port, same directory) and waits for PONG. */
    public void start() throws Exception {
      List<String> cmd = new ArrayList<>(List.of("redis-server"));
      cmd.addAll(tlsCa == null ? List.of("--port", Integer.toString(port))
          : List.of("--port", "0", "--tls-port", Integer.toString(port)));
      cmd.addAll(List.of("--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--protected-mode", "no",
          "--enable-debug-command", "local"));
        cmd.addAll(extraArgs.contains("--appendonly") ? extraArgs : concat(extraArgs, List.of("--appendonly", "no")));
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!cli("PING").contains("PONG")) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("redis-server on " + port + " did not start: "
              + Files.readString(dir.resolve("redis.log")));
        }
        Thread.sleep(50);
      }
    }

    private static List<String> concat(List<String> a, List<String> b) {
      List<String> all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    }

    /** SIGKILL: no goodbye to its clients. */
    public void kill() throws InterruptedException {
      if (process != null) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }

    /** Runs {@code redis-cli -p PORT args...} and returns its output. */
    public String cli(String... args) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
      if (tlsCa != null) {
        cmd.addAll(List.of("--tls", "--cacert", tlsCa.toString()));
      }
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    }
  }

  private final Path root;
  public final List<Node> nodes = new ArrayList<>();

  private RedisServers() throws IOException {
    root = Files.createTempDirectory("ticketoffload-redis");
  }

  public static RedisServers standalone() throws Exception {
    return standalone(List.of());
  }

  /** One standalone server on a port chosen by the caller (e.g. one a daemon already points at). */
  public static RedisServers onPort(int port) throws Exception {
    return single(port, List.of(), null);
  }

  /**
   * One server listening with TLS only ({@code --port 0 --tls-port P}), its certificate (for
   * 127.0.0.1 and localhost) issued by {@code ca}; clients need no certificate of their own.
   */
  public static RedisServers tls(TestCertificates ca) throws Exception {
    TestCertificates.Issued cert = ca.server();
    return single(freePort(), List.of("--tls-cert-file", cert.cert().toString(), "--tls-key-file",
        cert.key().toString(), "--tls-ca-cert-file", ca.caPem.toString(), "--tls-auth-clients", "no"), ca.caPem);
  }

  private static RedisServers single(int port, List<String> extraArgs, Path tlsCa) throws Exception {
    RedisServers r = new RedisServers();
    try {
      Path dir = Files.createDirectory(r.root.resolve("node-0"));
      Node n = new Node(port, dir, extraArgs, tlsCa);
      r.nodes.add(n);
      n.start();
      return r;
    } catch (Exception e) {
      r.close();
      throw e;
    }
  }

  /** One server with extra flags, e.g. {@code --appendonly yes --appendfsync always} (survives a kill). */
  public static RedisServers standalone(List<String> extraArgs) throws Exception {
    RedisServers r = new RedisServers();
    try {
      r.add(extraArgs).start();
      return r;
    } catch (Exception e) {
      r.close();
      throw e;
    }
  }

  /** Three masters, no replicas, every slot covered, {@code cluster_state:ok} on each. */
  public static RedisServers cluster() throws Exception {
    RedisServers r = new RedisServers();
    try {
      for (int i = 0; i < 3; i++) {
        r.add(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "2000")).start();
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      r.nodes.forEach(n -> create.add(n.address()));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String out = r.nodes.get(0).cli(create.toArray(String[]::new));
      if (!out.contains("[OK] All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + out);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      for (Node n : r.nodes) {
        while (!n.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("cluster not ok on " + n.port);
          }
          Thread.sleep(100);
        }
      }
      return r;
    } catch (Exception e) {
      r.close();
      throw e;
    }
  }

  private Node add(List<String> extraArgs) throws IOException {
    Path dir = Files.createDirectory(root.resolve("node-" + nodes.size()));
    Node n = new Node(freePort(), dir, extraArgs);
    nodes.add(n);
    return n;
  }

  /** The {@code --store} value for these servers. */
  public String storeUrl() {
    boolean tls = !nodes.isEmpty() && nodes.get(0).tlsCa != null;
    return (tls ? "rediss://" : "redis://") + String.join(",", nodes.stream().map(Node::address).toList());
  }

  /** A free port P whose Cluster bus port P + 10000 is free too (so below 55536). */
  private static int freePort() throws IOException {
    java.util.Random random = new java.util.Random();
    for (int tries = 0; tries < 1000; tries++) {
      int p = 20_000 + random.nextInt(20_000);
      if (bindable(p) && bindable(p + 10_000)) {
        return p;
      }
    }
    throw new IOException("no free loopback port pair found");
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      for (Node n : nodes) {
        n.kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
