package dev.ticketoffload.core.aead;

class BouncyCastleAeadBackendTest extends AeadBackendContract {
  @Override
  protected AeadBackend backend() {
    return new BouncyCastleAeadBackend();
  }
}
