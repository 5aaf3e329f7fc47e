/**
 * Operator tools: the recount that repairs drifted counters, and the scheduled drift check.
 */
package dev.likes.ops;
