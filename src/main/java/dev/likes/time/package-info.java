/**
 * The clock that dates likes and slides the windows; tests replace it.
 */
package dev.likes.time;
