/**
 * Rankings of all time and of trending windows (hour, day, week): keyset pages of ranking indexes,
 * and the job that slides the windows.
 */
package dev.likes.ranking;
