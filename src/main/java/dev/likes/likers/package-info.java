/**
 * Who liked an item: a keyset-paged list, newest like first, read with one range scan of the
 * likes_by_item index; visible to backends and operators unless {@code likes.likers.visibility} is public.
 */
package dev.likes.likers;
