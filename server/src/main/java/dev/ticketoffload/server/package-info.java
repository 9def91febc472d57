/** gRPC services, replay guard, admission control, configuration, TLS, metrics and the ticketd command. */
package dev.ticketoffload.server;
