package dev.huddle.migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code adopt}'s guard knows of the pre-restructure database: each object (by {@link Snapshot#key}) with what
 * adopt does to it. Read from {@code adopt/legacy-objects.txt}, plus an operator's reviewed additions
 * ({@code --known FILE}, same format: {@code <action> <key>}).
 */
public final class LegacyObjects {

    /** What adopt does to a known object. */
    public enum Action {
        /** its rows move into our schemas, then it is dropped */
        MOVE,
        /** dropped (N1, C1, C2, C3) */
        DROP,
        /** left as it is (Supabase's own, or what adopt itself keeps) */
        KEEP,
        /** a pg_cron job kept, its command pointed at our function */
        RESCHEDULE
    }

    /** Supabase's own schemas: their tables and functions are the platform's; triggers and policies there are not. */
    static final Set<String> PLATFORM_SCHEMAS = Set.of("auth", "storage", "graphql", "graphql_public", "supabase_functions",
            "supabase_migrations", "extensions", "pgbouncer", "pgsodium", "pgsodium_masks", "net", "vault", "cron");

    /**
     * Supabase Realtime's schema, which ours takes over (C3 drops everything in it): its tables, functions, types and
     * sequences are Supabase Realtime's; triggers and policies there (on realtime.messages, say) are not, unless
     * listed.
     */
    static final String SUPABASE_REALTIME = "realtime";

    /** Kinds that belong to their table or function: known when it is. */
    private static final Set<String> ATTACHED = Set.of("grant", "constraint", "index");

    private static final String RESOURCE = "adopt/legacy-objects.txt";

    private final Map<String, Action> actions;

    private LegacyObjects(Map<String, Action> actions) {
        this.actions = actions;
    }

    /** The built-in list, plus {@code extra} when given. */
    public static LegacyObjects load(Optional<Path> extra) {
        Map<String, Action> actions = new LinkedHashMap<>();
        parse(Migrator.readScript(RESOURCE), RESOURCE, actions);
        try {
            if (extra.isPresent()) {
                parse(Files.readString(extra.get()), extra.get().toString(), actions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LegacyObjects(actions);
    }

    /** What adopt does to the object of this snapshot line; empty when the guard does not know it. */
    public Optional<Action> actionFor(String line) {
        Action direct = actions.get(Snapshot.key(line));
        if (direct != null) {
            return Optional.of(direct);
        }
        String object = Snapshot.objectOf(line);
        String kind = line.substring(0, line.indexOf(' '));
        if (object != null && isPlatform(object) && !kind.equals("trigger") && !kind.equals("policy")) {
            return Optional.of(Action.KEEP);
        }
        if (object != null && object.startsWith(SUPABASE_REALTIME + ".") && !kind.equals("trigger")
                && !kind.equals("policy")) {
            return Optional.of(Action.DROP);
        }
        if (ATTACHED.contains(kind) && object != null) {
            // a grant, constraint or index goes where its table, function or schema goes
            String owner = ownerOf(line, kind, object);
            return actions.entrySet().stream()
                    .filter(e -> e.getKey().equals("table " + owner) || e.getKey().equals("view " + owner)
                            || e.getKey().equals("sequence " + owner) || e.getKey().equals("schema " + owner)
                            || e.getKey().startsWith("function " + owner + "("))
                    .map(Map.Entry::getValue).findFirst();
        }
        return Optional.empty();
    }

    /** The lines of {@code snapshot} the guard does not know, ignoring our own schemas when {@code ours} is set. */
    public List<String> unknown(Snapshot snapshot, boolean ours) {
        List<String> unknown = new ArrayList<>();
        for (String line : snapshot.lines()) {
            if (ours && inOurSchemas(line)) {
                continue;
            }
            if (actionFor(line).isEmpty()) {
                unknown.add(line);
            }
        }
        return unknown;
    }

    static boolean inOurSchemas(String line) {
        String object = Snapshot.objectOf(line);
        return object != null && Migrator.SCHEMAS.stream().anyMatch(s -> object.equals(s) || object.startsWith(s + "."));
    }

    private static boolean isPlatform(String object) {
        int dot = object.indexOf('.');
        return PLATFORM_SCHEMAS.contains(dot < 0 ? object : object.substring(0, dot));
    }

    /** The table, function (name only) or schema an attached line belongs to. */
    private static String ownerOf(String line, String kind, String object) {
        return switch (kind) {
            case "index" -> {
                String after = line.substring(line.indexOf(" ON ") + 4).replaceFirst("^ONLY ", "");
                yield after.substring(0, after.indexOf(' '));
            }
            case "grant" -> {
                String type = line.split(" ", 3)[1];
                if (type.equals("column")) {
                    yield object.substring(0, object.lastIndexOf('.'));
                }
                yield type.equals("function") ? object.substring(0, object.indexOf('(')) : object;
            }
            default -> object;
        };
    }

    private static void parse(String text, String source, Map<String, Action> into) {
        int n = 0;
        for (String raw : text.split("\n")) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException(source + ":" + n + ": expected '<action> <object>'");
            }
            Action action;
            try {
                action = Action.valueOf(line.substring(0, space).toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + n + ": unknown action '" + line.substring(0, space)
                        + "'; use move, drop, keep or reschedule");
            }
            into.put(line.substring(space + 1), action);
        }
    }
}
