/** The .proto contract, its generated stubs and the Java client for gateways. */
package dev.ticketoffload.api;
