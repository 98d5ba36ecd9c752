package dev.huddle.platform.paging;

import java.util.List;
import java.util.function.Function;

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
        boolean more = rows.size() > limit;
        List<R> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? position.apply(shown.get(shown.size() - 1)).encode() : null;
        return new Page<>(shown.stream().map(toItem).toList(), next);
    }
}
