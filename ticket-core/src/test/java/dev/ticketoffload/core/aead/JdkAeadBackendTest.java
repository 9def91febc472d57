package dev.ticketoffload.core.aead;

class JdkAeadBackendTest extends AeadBackendContract {
  @Override
  protected AeadBackend backend() {
    return new JdkAeadBackend();
  }
}
