/**
 * The gauges every feature registers (and removes when the application stops): a shared part below
 * the features, so that leadership, the read route, the caches and the live streams can report
 * without depending on the operator tools.
 */
package dev.likes.metrics;
