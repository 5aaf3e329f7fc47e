/**
 * Imports of existing likes (docs/import.md): rows of (user, item, time) from a CSV file or a table of
 * another PostgreSQL, loaded with their own times in batches that move the counts, windows and hot
 * scores as clicks do, resumable from the last committed batch, and checked for drift at the end.
 */
package dev.likes.imports;
