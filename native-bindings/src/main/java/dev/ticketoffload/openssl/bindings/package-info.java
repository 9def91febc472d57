/**
 * Bindings for the few libcrypto 3.x functions, types and constants the OpenSSL backend calls,
 * written by hand in the exact shape jextract 22 generates for the command in
 * {@code jextract-command.txt} (regenerating must give the same API). Nothing here owns memory,
 * checks results or knows where libcrypto is: {@code dev.ticketoffload.openssl} does, and loads
 * the library before these classes are first used.
 */
package dev.ticketoffload.openssl.bindings;
