package dev.ticketoffload.core.state;

/** The result of decoding a state: valid, or malformed with a reason. */
public sealed interface DecodedState {

  record Valid(IkeSaState state) implements DecodedState {}

  record Malformed(String reason) implements DecodedState {}
}
