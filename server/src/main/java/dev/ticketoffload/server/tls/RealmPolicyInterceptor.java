package dev.ticketoffload.server.tls;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the caller's {@link RealmAccess} into the call context, from its verified client
 * certificate (mTLS). A call without a client certificate is refused UNAUTHENTICATED; the realm
 * check itself ({@code PERMISSION_DENIED}) happens per request, where the realm is known.
 */
public final class RealmPolicyInterceptor implements ServerInterceptor {

  private final RealmPolicy policy;

  public RealmPolicyInterceptor(RealmPolicy policy) {
    this.policy = policy;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    X509Certificate cert = peerCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (cert == null) {
      call.close(Status.UNAUTHENTICATED.withDescription("a client certificate is required"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    List<String> names = ClientIdentity.names(cert);
    Context context = Context.current().withValue(RealmAccess.CONTEXT_KEY, policy.accessFor(names));
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static X509Certificate peerCertificate(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
