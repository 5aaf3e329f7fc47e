/**
 * Shared HTTP concerns: the rules of ids and parameters, problem details (RFC 9457) and the
 * mapping of every failure to one, request ids, and the OpenAPI definition.
 */
package dev.likes.api;
