package dev.ticketoffload.server.cli;

import dev.ticketoffload.server.cli.Daemon.StartupException;
import dev.ticketoffload.server.tls.RealmPolicy;
import dev.ticketoffload.server.tls.RealmPolicyInterceptor;
import dev.ticketoffload.server.tls.TlsFiles;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve}'s TLS flags ask for, checked before anything else starts: plaintext only on
 * loopback (or with {@code --insecure}), mTLS only on top of TLS. Then the server's credentials
 * and the realm-policy interceptor that mTLS may add.
 */
final class TransportSecurity {

  private static final Logger LOG = LoggerFactory.getLogger(TransportSecurity.class);

  private final ServeOptions options;
  private final HostPort listen;
  private final boolean tls;

  private TransportSecurity(ServeOptions options, HostPort listen, boolean tls) {
    this.options = options;
    this.listen = listen;
    this.tls = tls;
  }

  /** Refuses TLS flags that do not go together, and plaintext off loopback unless {@code --insecure}. */
  static TransportSecurity check(ServeOptions o, HostPort listen, boolean loopback) throws StartupException {
    boolean tls = o.tlsCert != null || o.tlsKey != null;
    if (tls && (o.tlsCert == null || o.tlsKey == null)) {
      throw new StartupException("--tls-cert and --tls-key go together");
    }
    if (o.clientCa != null && !tls) {
      throw new StartupException("--client-ca needs --tls-cert and --tls-key");
    }
    if (!loopback && !tls && !o.insecure) {
      throw new StartupException("refusing to serve plaintext on non-loopback address " + listen
          + ": give --tls-cert and --tls-key, or --insecure if a trusted network really needs plaintext");
    }
    return new TransportSecurity(o, listen, tls);
  }

  /**
   * {@code --health-listen}, or null: a plaintext port like {@code --listen} without TLS, so off
   * loopback it needs {@code --insecure} just the same.
   */
  static HostPort checkHealthListen(ServeOptions o) throws StartupException, IOException {
    if (o.healthListen == null) {
      return null;
    }
    HostPort health = HostPort.parse(o.healthListen);
    if (!health.isLoopback() && !o.insecure) {
      throw new StartupException("refusing to serve plaintext health on non-loopback address " + health
          + ": give --insecure if probes that cannot speak TLS (the kubelet's) need it there");
    }
    return health;
  }

  ServerCredentials credentials() throws IOException {
    return tls ? new TlsFiles(options.tlsCert, options.tlsKey, options.clientCa).credentials() : TlsFiles.insecure();
  }

  /** The realm policy's interceptor when mTLS has one (loaded now, so a bad file stops the start); logs the mode. */
  List<ServerInterceptor> interceptors() throws IOException {
    if (options.clientCa == null) {
      LOG.info(tls ? "TLS without client certificates" : "plaintext (no TLS) on {}", listen);
      return List.of();
    }
    if (options.realmPolicy == null) {
      LOG.info("mTLS: client certificates from {} required; no realm policy, every client may use every realm",
          options.clientCa);
      return List.of();
    }
    RealmPolicy policy = RealmPolicy.load(options.realmPolicy);
    LOG.info("mTLS: client certificates from {} required; realm policy {} ({} identities)", options.clientCa,
        options.realmPolicy, policy.size());
    return List.of(new RealmPolicyInterceptor(policy));
  }
}
