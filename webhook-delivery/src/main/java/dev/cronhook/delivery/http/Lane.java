package dev.cronhook.delivery.http;

/**
 * Which turn a request takes at its destination. Requests due now go first; a backlog (runs missed while no node
 * was up) is sent only when nothing due now waits for the same destination, so working it off never makes the
 * on-time runs late.
 */
public enum Lane {
    ON_TIME,
    BACKLOG
}
