package dev.cronhook.incident;

import java.util.List;

/** One page of a list; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> data, String nextCursor) {
    public Page {
        data = List.copyOf(data);
    }

    static <T> Page<T> of(List<T> rows, int limit, java.util.function.Function<T, String> id) {
        if (rows.size() > limit) {
            List<T> data = rows.subList(0, limit);
            return new Page<>(data, id.apply(data.getLast()));
        }
        return new Page<>(rows, null);
    }
}
