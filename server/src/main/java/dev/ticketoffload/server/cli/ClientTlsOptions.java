package dev.ticketoffload.server.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The TLS options of the commands that call a running service as a client ({@code revoke},
 * {@code storm --target}): one definition, one check, one way to build the channel's credentials.
 */
public final class ClientTlsOptions {

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "Trust these CA certificates (enables TLS; default: plaintext).")
  Path ca;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "With --tls-ca and --tls-key: client certificate chain for mTLS.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "With --tls-cert: client private key (PKCS#8 PEM).")
  Path key;

  /** Whether any of the options was given. */
  public boolean any() {
    return ca != null || cert != null || key != null;
  }

  /**
   * Plaintext without {@code --tls-ca}, else TLS (mTLS with a client certificate).
   *
   * @throws IllegalArgumentException when --tls-cert and --tls-key are not given together, or without --tls-ca
   */
  public ChannelCredentials credentials() throws IOException {
    if ((cert == null) != (key == null) || (cert != null && ca == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together, and with --tls-ca");
    }
    if (ca == null) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder().trustManager(ca.toFile());
    if (cert != null) {
      tls.keyManager(cert.toFile(), key.toFile());
    }
    return tls.build();
  }
}
