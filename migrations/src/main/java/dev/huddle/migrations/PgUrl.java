package dev.huddle.migrations;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A PostgreSQL connection URL as operators write it: {@code postgresql://user:password@host:port/database}
 * (also {@code postgres://} and {@code jdbc:postgresql://...?user=..&password=..}). One parser for the
 * migrations app, the local stack and the tests.
 */
public record PgUrl(String host, int port, String database, String user, Optional<String> password) {

    public static PgUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("empty PostgreSQL URL");
        }
        String raw = url.trim();
        if (raw.startsWith("jdbc:")) {
            raw = raw.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            // the parser's message quotes the input, password included
            throw new IllegalArgumentException("malformed URL at index " + e.getIndex() + ": " + redact(url));
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a postgresql:// URL: " + redact(url));
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("user")) {
                    user = decode(kv[1]);
                } else if (kv.length == 2 && kv[0].equals("password")) {
                    password = decode(kv[1]);
                }
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new PgUrl(uri.getHost() == null ? "localhost" : uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                path.isEmpty() ? "postgres" : path, user == null ? "postgres" : user, Optional.ofNullable(password));
    }

    /** The same server and credentials, another database. */
    public PgUrl withDatabase(String otherDatabase) {
        return new PgUrl(host, port, otherDatabase, user, password);
    }

    /** The same server and database, another login. */
    public PgUrl as(String otherUser, String otherPassword) {
        return new PgUrl(host, port, database, otherUser, Optional.ofNullable(otherPassword));
    }

    /** For JDBC (Flyway, admin tools): credentials are passed separately. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** For the Vert.x reactive client ({@code quarkus.datasource.reactive.url}): credentials passed separately. */
    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL with its password, as {@code PG_ADMIN_URL} holds it: to hand to a process, never to a log. */
    public String withCredentials() {
        return "postgresql://" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + password.map(p -> ":" + URLEncoder.encode(p, StandardCharsets.UTF_8)).orElse("") + "@" + host + ":"
                + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
    }
}
