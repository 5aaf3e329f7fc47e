/**
 * Connections to PostgreSQL: the bounded reactive pool, the options every connection shares (with
 * which statements it keeps prepared), sessions kept open on the primary outside the pool, and the
 * service's advisory locks.
 */
package dev.likes.db;
