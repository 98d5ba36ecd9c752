package dev.huddle.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Gate 0: an inventory of a live database read from its catalogs, never from {@code pg_dump}. One line per fact
 * ({@code kind name details}), sorted, so that two snapshots diff line by line and the same database gives the same
 * bytes twice. Objects of extensions and of PostgreSQL's own schemas are left out; everything a person or a migration
 * made is in: schemas, tables and columns, constraints, indexes, triggers, functions (a hash of the body), views,
 * sequences, RLS and policies, grants per role, default privileges, publications, extensions, event triggers, pg_cron
 * jobs of this database, Vault secrets by name only.
 */
public final class Snapshot {

    /** Schemas that are PostgreSQL's or an extension's, never ours nor the application's. */
    static final String SYSTEM_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'cron', 'vault', 'net', "
            + "'pgsodium', 'pgsodium_masks', 'extensions', 'graphql', 'graphql_public', 'supabase_functions', 'pgbouncer') "
            + "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

    /** Leaves out what an extension created (pg_depend 'e'). */
    private static final String NOT_EXTENSION_MEMBER = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s AND d.deptype = 'e')";

    private final TreeSet<String> lines;

    private Snapshot(TreeSet<String> lines) {
        this.lines = lines;
    }

    /** Reads the database {@code c} is connected to, in one read-only repeatable-read transaction. */
    public static Snapshot take(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        TreeSet<String> lines = new TreeSet<>();
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            st.execute("SET LOCAL search_path = pg_catalog");
            for (String query : QUERIES) {
                collect(st, query, lines);
            }
            if (relationExists(st, "cron.job")) {
                collect(st,
                        """
                                SELECT 'cron-job ' || coalesce(jobname, '#' || jobid) || ' schedule=' || schedule
                                       || ' user=' || username || ' active=' || active || ' command=' || command
                                FROM cron.job WHERE database = current_database()""",
                        lines);
            }
            if (relationExists(st, "vault.secrets")) {
                collect(st, "SELECT 'vault-secret ' || coalesce(name, '#' || id::text) FROM vault.secrets", lines);
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        return new Snapshot(lines);
    }

    /** Lines of facts read elsewhere (pg_cron jobs against the list of what our migrations schedule), sorted. */
    static Snapshot of(Collection<String> lines) {
        return new Snapshot(new TreeSet<>(lines));
    }

    /** Every line, sorted. */
    public Set<String> lines() {
        return lines;
    }

    /** The lines that {@code keep} accepts. */
    public Snapshot filter(Predicate<String> keep) {
        TreeSet<String> kept = new TreeSet<>();
        lines.stream().filter(keep).forEach(kept::add);
        return new Snapshot(kept);
    }

    /** The canonical text: every line, sorted, each ended by a newline. */
    public String text() {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** What {@code actual} has that this one lacks ({@code +}) and lacks that this one has ({@code -}), sorted. */
    public List<String> differences(Snapshot actual) {
        TreeSet<String> diff = new TreeSet<>((a, b) -> {
            int byLine = a.substring(2).compareTo(b.substring(2));
            return byLine != 0 ? byLine : a.compareTo(b);
        });
        lines.stream().filter(l -> !actual.lines.contains(l)).forEach(l -> diff.add("- " + l));
        actual.lines.stream().filter(l -> !lines.contains(l)).forEach(l -> diff.add("+ " + l));
        return new ArrayList<>(diff);
    }

    /**
     * The lines about objects in {@code schemas} (the schema itself, what is in it, grants on it); leaves out what is
     * the cluster's or the database's as a whole (extensions, publications, event triggers, pg_cron jobs, Vault).
     */
    public Snapshot inSchemas(Set<String> schemas) {
        return filter(line -> {
            String object = objectOf(line);
            return object != null && schemas.stream().anyMatch(s -> object.equals(s) || object.startsWith(s + "."));
        });
    }

    /**
     * What identifies the fact a line states, without its details: two snapshots with the same keys hold the same
     * objects. A function by its signature, a trigger, policy or constraint by its table and name, a grant, a
     * publication entry or a default privilege by the whole line, anything else by its kind and name.
     */
    public static String key(String line) {
        String[] tokens = line.split(" ", 4);
        return switch (tokens[0]) {
            case "grant", "publication-table", "default-privilege" -> line;
            case "function", "procedure", "aggregate", "window-function" -> {
                int end = line.indexOf(") ") >= 0 ? line.indexOf(") ") + 1 : line.length();
                yield line.substring(0, end);
            }
            case "trigger", "policy", "constraint" -> tokens.length > 2 ? tokens[0] + " " + tokens[1] + " " + tokens[2] : line;
            default -> tokens.length > 1 ? tokens[0] + " " + tokens[1] : line;
        };
    }

    /** The schema-qualified object a line is about, or null for database-wide facts. */
    static String objectOf(String line) {
        String[] tokens = line.split(" ", 4);
        return switch (tokens[0]) {
            case "grant", "publication-table" -> tokens[2];
            case "default-privilege" -> tokens.length > 2 && tokens[2].startsWith("in=") ? tokens[2].substring(3) : null;
            case "extension", "publication", "event-trigger", "cron-job", "vault-secret" -> null;
            default -> tokens[1];
        };
    }

    private static boolean relationExists(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + name + "') IS NOT NULL AND has_table_privilege('"
                + name + "', 'SELECT')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void collect(Statement st, String query, TreeSet<String> into) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                // one fact, one line: expressions PostgreSQL prints over several lines are folded
                into.add(rs.getString(1).replaceAll("\\s+", " ").strip());
            }
        }
    }

    private static String notExtension(String oid) {
        return NOT_EXTENSION_MEMBER.formatted(oid);
    }

    /** Grants as {@code grant <kind> <object> to=<role> <privilege>[*]}; '*' is WITH GRANT OPTION; owners left out. */
    private static String grants(String kind, String object, String acl, String owner, String from, String where) {
        return """
                SELECT 'grant %s ' || %s || ' to=' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
                       || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END
                FROM %s, aclexplode(%s) a
                WHERE %s AND a.grantee <> %s""".formatted(kind, object, from, acl, where, owner);
    }

    private static final List<String> QUERIES = List.of(
            // schemas
            """
                    SELECT 'schema ' || quote_ident(n.nspname) || ' owner=' || n.nspowner::regrole::text
                    FROM pg_namespace n WHERE %s AND %s""".formatted(SYSTEM_SCHEMAS, notExtension("n.oid")),
            grants("schema", "quote_ident(n.nspname)", "n.nspacl", "n.nspowner", "pg_namespace n",
                    SYSTEM_SCHEMAS + " AND n.nspacl IS NOT NULL"),
            // tables, views, sequences: kind, owner, RLS
            """
                    SELECT CASE c.relkind WHEN 'r' THEN 'table ' WHEN 'p' THEN 'table ' WHEN 'v' THEN 'view ' WHEN 'm' THEN 'matview '
                                          WHEN 'S' THEN 'sequence ' WHEN 'f' THEN 'foreign-table ' END
                           || c.oid::regclass::text || ' owner=' || c.relowner::regrole::text
                           || CASE WHEN c.relkind IN ('r', 'p') THEN ' rls=' || c.relrowsecurity || ' force-rls=' || c.relforcerowsecurity
                                   || CASE WHEN c.relkind = 'p' THEN ' partitioned' ELSE '' END ELSE '' END
                           || CASE WHEN c.relkind IN ('v', 'm') THEN ' definition-md5=' || md5(pg_get_viewdef(c.oid)) ELSE '' END
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND %s AND %s"""
                    .formatted(SYSTEM_SCHEMAS,
                            notExtension("c.oid")),
            grants("table", "c.oid::regclass::text", "c.relacl", "c.relowner",
                    "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace",
                    SYSTEM_SCHEMAS + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relacl IS NOT NULL"),
            // columns
            """
                    SELECT 'column ' || c.oid::regclass::text || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                           || CASE WHEN a.attnotnull THEN ' not-null' ELSE '' END
                           || CASE a.attidentity WHEN 'a' THEN ' identity-always' WHEN 'd' THEN ' identity-by-default' ELSE '' END
                           || CASE a.attgenerated WHEN 's' THEN ' generated' ELSE '' END
                           || coalesce(' default=' || pg_get_expr(ad.adbin, ad.adrelid), '')
                           || CASE WHEN a.attcollation <> t.typcollation THEN ' collate=' || a.attcollation::regcollation::text ELSE '' END
                    FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_type t ON t.oid = a.atttypid
                    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND %s AND %s"""
                    .formatted(SYSTEM_SCHEMAS, notExtension("c.oid")),
            """
                    SELECT 'grant column ' || c.oid::regclass::text || '.' || quote_ident(a.attname) || ' to='
                           || CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END || ' ' || x.privilege_type
                    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace,
                         aclexplode(a.attacl) x
                    WHERE a.attacl IS NOT NULL AND %s""".formatted(SYSTEM_SCHEMAS),
            // constraints, foreign keys with their actions
            """
                    SELECT 'constraint ' || r.conrelid::regclass::text || ' ' || quote_ident(r.conname) || ' ' || pg_get_constraintdef(r.oid)
                    FROM pg_constraint r JOIN pg_namespace n ON n.oid = r.connamespace
                    WHERE r.conrelid <> 0 AND %s"""
                    .formatted(SYSTEM_SCHEMAS),
            // indexes
            """
                    SELECT 'index ' || i.indexrelid::regclass::text || ' ' || pg_get_indexdef(i.indexrelid)
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE %s AND %s""".formatted(SYSTEM_SCHEMAS, notExtension("c.oid")),
            // triggers and the function each calls
            """
                    SELECT 'trigger ' || t.tgrelid::regclass::text || ' ' || quote_ident(t.tgname)
                           || CASE t.tgenabled WHEN 'D' THEN ' disabled' ELSE '' END || ' ' || pg_get_triggerdef(t.oid)
                    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE NOT t.tgisinternal AND %s""".formatted(SYSTEM_SCHEMAS),
            // functions and procedures: signature, language, security, a hash of the body
            """
                    SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' WHEN 'w' THEN 'window-function ' ELSE 'function ' END
                           || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                           || coalesce(' returns ' || pg_get_function_result(p.oid), '')
                           || ' language=' || l.lanname
                           || CASE WHEN p.prosecdef THEN ' security-definer' ELSE ' security-invoker' END
                           || ' volatility=' || p.provolatile::text
                           || coalesce(' config=' || array_to_string(p.proconfig, ','), '')
                           || ' owner=' || p.proowner::regrole::text
                           || ' body-md5=' || md5(coalesce(p.prosrc, '') || coalesce(p.probin, ''))
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
                    WHERE %s AND %s"""
                    .formatted(SYSTEM_SCHEMAS, notExtension("p.oid")),
            grants("function", "p.oid::regprocedure::text", "p.proacl", "p.proowner",
                    "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace", SYSTEM_SCHEMAS + " AND p.proacl IS NOT NULL AND "
                            + notExtension("p.oid")),
            // types (enums, domains, composites) made by people
            """
                    SELECT 'type ' || t.oid::regtype::text || ' kind=' || t.typtype::text
                           || CASE WHEN t.typtype = 'e' THEN ' labels=' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                                                               FROM pg_enum e WHERE e.enumtypid = t.oid) ELSE '' END
                    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                    WHERE t.typtype IN ('e', 'd') AND %s AND %s"""
                    .formatted(SYSTEM_SCHEMAS, notExtension("t.oid")),
            // RLS policies
            """
                    SELECT 'policy ' || p.polrelid::regclass::text || ' ' || quote_ident(p.polname)
                           || ' ' || CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END
                           || ' for=' || p.polcmd::text
                           || ' to=' || (SELECT string_agg(x.role, ',' ORDER BY x.role)
                                         FROM (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END AS role
                                               FROM unnest(p.polroles) r) x)
                           || coalesce(' using=' || pg_get_expr(p.polqual, p.polrelid), '')
                           || coalesce(' check=' || pg_get_expr(p.polwithcheck, p.polrelid), '')
                    FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE %s""".formatted(SYSTEM_SCHEMAS),
            // default privileges
            """
                    SELECT 'default-privilege for=' || d.defaclrole::regrole::text || coalesce(' in=' || quote_ident(n.nspname), '')
                           || ' on=' || d.defaclobjtype::text || ' to=' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
                           || ' ' || a.privilege_type
                    FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a""",
            // publications and their tables
            """
                    SELECT 'publication ' || quote_ident(p.pubname) || ' all-tables=' || p.puballtables
                           || ' insert=' || p.pubinsert || ' update=' || p.pubupdate || ' delete=' || p.pubdelete
                    FROM pg_publication p""",
            """
                    SELECT 'publication-table ' || quote_ident(p.pubname) || ' ' || quote_ident(t.schemaname) || '.' || quote_ident(t.tablename)
                    FROM pg_publication p JOIN pg_publication_tables t ON t.pubname = p.pubname""",
            // extensions
            """
                    SELECT 'extension ' || e.extname || ' schema=' || e.extnamespace::regnamespace::text FROM pg_extension e""",
            // event triggers
            """
                    SELECT 'event-trigger ' || quote_ident(e.evtname) || ' on=' || e.evtevent || ' function=' || e.evtfoid::regprocedure::text
                           || ' enabled=' || e.evtenabled::text
                    FROM pg_event_trigger e WHERE %s"""
                    .formatted(notExtension("e.oid")));
}
