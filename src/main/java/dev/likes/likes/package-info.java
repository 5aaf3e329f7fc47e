/**
 * Like, unlike and counts: the rules, the queue that gathers clicks into statements, the click SQL
 * that moves counts in the same statement as the rows, and the toggle-storm limits counted in it.
 */
package dev.likes.likes;
