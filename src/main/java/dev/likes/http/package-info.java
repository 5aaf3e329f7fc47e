/**
 * The public port's connections: a deadline for request heads, so that clients too slow to send one
 * (a slow-loris attack) are cut off. The HTTP layer's own limits (idle timeout, open connections,
 * request line and header sizes) are set in application.properties. And one hand-off on every
 * request's way to Quarkus REST ({@link dev.likes.http.AuthFailureHandoff}) that spares it work a
 * request here never needs.
 */
package dev.likes.http;
