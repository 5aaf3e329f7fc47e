/**
 * The dev-mode demo page and its dev tokens; left out of production builds.
 */
package dev.likes.demo;
