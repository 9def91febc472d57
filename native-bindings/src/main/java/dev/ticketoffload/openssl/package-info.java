/** libcrypto bindings (FFM), the OpenSSL AeadBackend and automatic backend selection. */
package dev.ticketoffload.openssl;
