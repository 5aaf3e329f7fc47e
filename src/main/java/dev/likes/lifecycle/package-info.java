/**
 * The lifecycle of users and items: erasing a user's likes, removing an item (a tombstone that refuses
 * clicks with 410), suspending a user (their likes leave every count and their clicks get 403) and
 * reinstating them. A request takes effect at once and leaves a job that the leader works off in
 * bounded batches, each moving its items' counts in the statement that moves the rows (on Citus, in
 * the call per shard group that moves them: ShardGroupSteps).
 */
package dev.likes.lifecycle;
