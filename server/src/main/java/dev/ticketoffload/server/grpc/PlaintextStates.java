package dev.ticketoffload.server.grpc;

import static dev.ticketoffload.core.state.IkeSaState.FLAG_EAP;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.core.state.StateView;
import dev.ticketoffload.core.state.StateView.Field;

/**
 * Builds the wire state of an opened ticket straight from its checked state encoding, through
 * ticket-core's {@link StateView}: one copy per field. Going through ticket-core's {@code IkeSaState}
 * instead (decode, which checks again and copies each field, then a field-by-field mapping, whose
 * getters copy each field again) was the largest cost of an Open batch after the transport (84 to
 * 37 ns and 1,120 to 440 bytes per OK item, OpenResultStateBenchmark). Public for that benchmark.
 */
public final class PlaintextStates {

  private PlaintextStates() {}

  /** The wire state of the encoding {@code view} points at. */
  public static IkeSaState toProto(StateView view) {
    return IkeSaState.newBuilder()
        .setSpiI(copy(view, Field.SPI_I))
        .setSpiR(copy(view, Field.SPI_R))
        .setAuthMethod(view.authMethod())
        .setEap((view.flags() & FLAG_EAP) != 0)
        .setSkD(copy(view, Field.SK_D))
        .setIdI(copy(view, Field.ID_I))
        .setIdR(copy(view, Field.ID_R))
        .setSaR(copy(view, Field.SA_R))
        .setExt(copy(view, Field.EXT))
        .build();
  }

  private static ByteString copy(StateView view, Field field) {
    int length = view.length(field);
    return length == 0 ? ByteString.EMPTY : ByteString.copyFrom(view.buffer(), view.offset(field), length);
  }
}
