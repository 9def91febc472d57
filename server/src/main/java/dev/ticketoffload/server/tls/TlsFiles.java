package dev.ticketoffload.server.tls;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Server credentials from PEM files: {@code --tls-cert} and {@code --tls-key} for TLS, plus
 * {@code --client-ca} for mutual TLS (a client certificate signed by that CA is then required).
 *
 * @param clientCa {@code null} for server-only TLS
 */
public record TlsFiles(Path cert, Path key, Path clientCa) {

  public ServerCredentials credentials() throws IOException {
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
        .keyManager(cert.toFile(), key.toFile());
    if (clientCa != null) {
      builder.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return builder.build();
  }

  /** Plaintext: only on loopback, or when the operator said {@code --insecure}. */
  public static ServerCredentials insecure() {
    return InsecureServerCredentials.create();
  }
}
