/**
 * The service on a Citus cluster (see docs/citus.md): whether the database is one, and which items
 * share a shard group, so that a batch of clicks or of window aging goes to each worker as one call
 * per shard group.
 */
package dev.likes.citus;
