/**
 * {@code ticketd storm}: a simulated gateway fleet that seals tickets, then opens all of them at
 * once as after a gateway failure, checks every answer, and reports throughput and latency.
 */
package dev.ticketoffload.storm;
