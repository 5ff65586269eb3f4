package dev.cronhook.delivery.testing;

/** The databases Cronhook runs on, and so the ones its tests run against. */
public enum TestDatabaseKind {
    H2,
    POSTGRES
}
