package dev.cronhook.api.keys;

/** What a key may do: {@code admin} everything, {@code read} only reads. */
public enum Scope {
    ADMIN, READ;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Scope fromWire(String value) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(value)) {
                return scope;
            }
        }
        return null;
    }
}
