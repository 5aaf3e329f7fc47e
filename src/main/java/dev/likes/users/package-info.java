/**
 * A user's likes, newest first, keyset-paged.
 */
package dev.likes.users;
