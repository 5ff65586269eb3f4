package dev.cronhook.common;

import java.util.List;
import java.util.function.Function;

/** One page of a list; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> data, String nextCursor) {
    public Page {
        data = List.copyOf(data);
    }

    /** A page from up to {@code limit + 1} rows: the extra row only says there is a next page. */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> id) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> data = rows.subList(0, limit);
        return new Page<>(data, id.apply(data.getLast()));
    }
}
