/**
 * Rankings of all time, of trending windows (hour, day, week) and hot (a score that decays with the
 * likes' age): keyset pages of ranking indexes, the job that slides the windows and the one that
 * re-bases the hot scores.
 */
package dev.likes.ranking;
