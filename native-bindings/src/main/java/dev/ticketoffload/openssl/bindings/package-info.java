/**
 * Bindings for the few libcrypto 3.x functions, types and constants the OpenSSL backend calls,
 * in the shape jextract generates (regenerate with the command in {@code jextract-command.txt}).
 * Nothing here owns memory or checks results: {@code dev.ticketoffload.openssl} does.
 */
package dev.ticketoffload.openssl.bindings;
