package dev.huddle.platform.paging;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of a keyset-paginated list.
 *
 * @param items this page, newest first
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record Page<T>(List<T> items,
        @Schema(nullable = true, description = "Opaque; pass as cursor to get the next page") String nextCursor) {

    /** Query one row more than {@code limit}: whether it came back says whether there is a next page. */
    public static int fetchSize(int limit) {
        return limit + 1;
    }

    /** Builds a page from up to {@code limit + 1} rows fetched in list order. */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, Cursor> position, Function<R, T> toItem) {
        return page(rows, limit, last -> position.apply(last).encode(), toItem);
    }

    /**
     * Builds a page from up to {@code limit + 1} rows fetched in the order of their sequence, newest first
     * ({@link Cursor#encodeSequence}).
     */
    public static <R> Page<R> ofSequence(List<R> rows, int limit, ToLongFunction<R> sequence) {
        return page(rows, limit, last -> Cursor.encodeSequence(sequence.applyAsLong(last)), row -> row);
    }

    private static <R, T> Page<T> page(List<R> rows, int limit, Function<R, String> cursorAfter, Function<R, T> toItem) {
        boolean more = rows.size() > limit;
        List<R> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? cursorAfter.apply(shown.get(shown.size() - 1)) : null;
        return new Page<>(shown.stream().map(toItem).toList(), next);
    }
}
