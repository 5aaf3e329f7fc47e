/**
 * Counts that move with their rows, shared by every feature that moves likes: the SQL parts that add,
 * remove and restore like rows and move their items' counts in the same statement
 * ({@link dev.likes.counting.CountMoves}), and the announcement of the items whose counts moved, to
 * every replica's live streams and read caches ({@link dev.likes.counting.CountAnnouncer}). Below the
 * features (clicks, lifecycle, the recount), above the database and cache parts.
 */
package dev.likes.counting;
