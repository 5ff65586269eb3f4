package dev.cronhook.common;

/**
 * One field of a create or change request as the client sent it: left out (a change keeps what is there), sent as
 * null (a change clears it), or sent with a value. The api module decodes requests into records of these, so that
 * services see typed values and never the JSON they came in.
 */
public sealed interface Input<T> {
    record Absent<T>() implements Input<T> {
    }

    record Cleared<T>() implements Input<T> {
    }

    record Given<T>(T value) implements Input<T> {
    }

    static <T> Input<T> absent() {
        return new Absent<>();
    }

    static <T> Input<T> cleared() {
        return new Cleared<>();
    }

    /** Sent with {@code value}; a null value is a field sent as null. */
    static <T> Input<T> of(T value) {
        return value == null ? new Cleared<>() : new Given<>(value);
    }

    /** Whether the field was in the request at all. */
    default boolean sent() {
        return !(this instanceof Absent);
    }

    /** The value sent; null when the field was left out or sent as null. */
    default T value() {
        return this instanceof Given<T> given ? given.value() : null;
    }

    /**
     * The value sent, converted; left out and sent as null stay so. A conversion that answers null (the value was
     * unusable; the caller names why) makes the field one sent as null.
     */
    default <U> Input<U> map(java.util.function.Function<? super T, ? extends U> convert) {
        return switch (this) {
            case Absent<T> absent -> absent();
            case Cleared<T> cleared -> cleared();
            case Given<T> given -> of(convert.apply(given.value()));
        };
    }

    /** What a change leaves: the value sent, null when cleared, {@code current} when left out. */
    default T or(T current) {
        return switch (this) {
            case Absent<T> absent -> current;
            case Cleared<T> cleared -> null;
            case Given<T> given -> given.value();
        };
    }
}
