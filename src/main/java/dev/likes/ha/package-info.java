/**
 * Many replicas over a highly available PostgreSQL: the leader that runs the background jobs once,
 * public reads on a standby within a lag bound, and readiness during a failover.
 */
package dev.likes.ha;
