/**
 * Every likes.* setting in one typed mapping (LikesConfig), with its default and meaning.
 */
package dev.likes.config;
