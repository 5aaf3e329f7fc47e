/**
 * Who may do what: bearer tokens acting for a user, trusted backends, operators (AccessPolicy); the
 * signing keys, read again while the service runs (SigningKeys); each token verified once and reused
 * until its exp (VerifiedTokens).
 */
package dev.likes.auth;
