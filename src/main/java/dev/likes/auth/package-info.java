/**
 * Who may do what: bearer tokens acting for a user, trusted backends, operators (AccessPolicy).
 */
package dev.likes.auth;
