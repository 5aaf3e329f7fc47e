/**
 * Live counts: Server-Sent Events streams fed by LISTEN/NOTIFY across replicas, within a budget
 * per replica.
 */
package dev.likes.live;
