/**
 * Like events for other services: the outbox rows that each statement adding or removing likes also
 * writes (while a Kafka broker is configured), and the relay that publishes them to Kafka in order,
 * run by the leader, deleting each row once the broker has acknowledged it.
 */
package dev.likes.events;
