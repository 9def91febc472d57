package dev.ticketoffload.bench;

import com.google.protobuf.ByteString;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.TicketSealer;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.ReferenceStates;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A bare grpc-java server of {@link EchoTicketService} in its own JVM, the transport ceiling for
 * {@link ExternalLoadRun}: Netty (epoll where available, as grpc-java picks by default), the direct
 * executor, no work but building answers of the service's shapes. Listens on 127.0.0.1, a free
 * port, printed as {@code listening on 127.0.0.1:PORT}; ends when its standard input closes, so it
 * never outlives the run that started it.
 *
 * <pre>java -cp jmh-benchmarks/target/benchmarks.jar dev.ticketoffload.bench.EchoServerMain</pre>
 */
public final class EchoServerMain {

  private EchoServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.err.println("usage: EchoServerMain (no options: 127.0.0.1, a free port; ends at end of standard input)");
      System.exit(2);
    }
    long now = System.currentTimeMillis() / 1000;
    IkeSaState state = ServiceFixtures.coreState(now);
    // The echo's seals answer a ticket of the real length; its bytes do not matter.
    ByteString ticket = ByteString.copyFrom(new byte[TicketSealer.ticketLength(state)]);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
        .addService(new EchoTicketService(ReferenceStates.toProto(state), ticket, now))
        .maxInboundMessageSize(ServiceLimits.DEFAULT_MAX_REQUEST_BYTES).build().start();
    System.out.println("listening on 127.0.0.1:" + server.getPort() + " (transport "
        + (Epoll.isAvailable() ? "epoll" : "nio") + ", direct executor)");
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the end of standard input
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
