/**
 * The gateway-side client: one ticket per call, coalesced into batch RPCs, bounded, retried when
 * the service sheds load. Needs only grpc-api/stub/protobuf and a transport (for example
 * grpc-netty-shaded) on the classpath.
 */
package dev.ticketoffload.api.client;
