/** JMH benchmarks of backends, batches and the service. */
package dev.ticketoffload.bench;
