/**
 * Like, unlike and counts: the rules, the queue that gathers clicks into statements, the click
 * statement's variants ({@link dev.likes.likes.ClickStatement}: the count-moving parts of
 * dev.likes.counting, the toggle-storm limits counted in it, the events it records) and what each
 * click came to ({@link dev.likes.likes.ClickOutcome}). A feature: it uses lifecycle (an item's
 * removal is a call on the item) and likers (an item's likers), never the reverse.
 */
package dev.likes.likes;
