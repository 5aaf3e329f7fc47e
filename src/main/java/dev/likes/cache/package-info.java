/**
 * Public reads from memory: items' counts kept current by the change announcements every replica
 * receives (CountCache, fed by dev.likes.live.CountFeed), and values everyone asks for, such as the
 * first page of a ranking, read again at most every so often by one request for all (Refreshed).
 * Shared parts: nothing here knows the features that use them.
 */
package dev.likes.cache;
