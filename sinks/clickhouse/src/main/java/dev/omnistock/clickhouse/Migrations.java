package dev.omnistock.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned DDL files of infra/clickhouse/migrations (on the classpath under
 * clickhouse/migrations) in the order MIGRATIONS lists them, each once: applied versions and their
 * checksums are kept in schema_migrations, so running it at every start is safe. A migration
 * edited after it was applied is refused: add a new one instead. The one exception is a migration
 * whose MIGRATIONS line names the checksum of its released text ({@code revises <sha256>}): a
 * deployment that applied that text is let through, and a later migration brings it in step.
 */
public final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private static final String ROOT = "/clickhouse/migrations/";

    private Migrations() {
    }

    /** @return the names of the migrations applied now (empty when all were applied before) */
    public static List<String> apply(Connection connection) throws SQLException {
        List<Listed> listed = listed();
        return apply(connection, listed.get(listed.size() - 1).name());
    }

    /** Applies the migrations up to {@code last} included: a test builds an older deployment's schema with it. */
    static List<String> apply(Connection connection, String last) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
                    ENGINE = ReplacingMergeTree ORDER BY name""");
        }
        Map<String, String> applied = new HashMap<>();
        try (Statement query = connection.createStatement();
             ResultSet rs = query.executeQuery("SELECT name, checksum FROM schema_migrations FINAL")) {
            while (rs.next()) {
                applied.put(rs.getString(1), rs.getString(2));
            }
        }
        List<String> appliedNow = new ArrayList<>();
        List<Listed> listed = listed();
        List<String> names = listed.stream().map(Listed::name).toList();
        if (!names.contains(last)) {
            throw new IllegalArgumentException(last + " is not listed in MIGRATIONS");
        }
        for (Listed migration : listed.subList(0, names.indexOf(last) + 1)) {
            String name = migration.name();
            String sql = read(name);
            String checksum = sha256(sql);
            String before = applied.get(name);
            if (before != null) {
                if (!before.equals(checksum) && !migration.revises().contains(before)) {
                    throw new IllegalStateException("Migration " + name + " changed after it was applied; "
                            + "restore it and add a new migration for the change");
                }
                continue;
            }
            try (Statement ddl = connection.createStatement()) {
                for (String statement : statements(sql)) {
                    ddl.execute(statement);
                }
            }
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO schema_migrations (name, checksum) VALUES (?, ?)")) {
                record.setString(1, name);
                record.setString(2, checksum);
                record.executeUpdate();
            }
            log.info("Applied ClickHouse migration {}", name);
            appliedNow.add(name);
        }
        return appliedNow;
    }

    /** A line of MIGRATIONS: a file name, optionally followed by {@code revises} and the checksums of its released texts. */
    record Listed(String name, List<String> revises) {
    }

    static List<Listed> listed() {
        List<Listed> listed = new ArrayList<>();
        for (String line : read("MIGRATIONS").lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            String[] words = line.split("\\s+");
            if (words.length > 1 && !"revises".equals(words[1])) {
                throw new IllegalStateException("MIGRATIONS: expected a file name, optionally followed by 'revises' and checksums, not '" + line + "'");
            }
            listed.add(new Listed(words[0], words.length > 1 ? List.of(words).subList(2, words.length) : List.of()));
        }
        return listed;
    }

    /** Statements end with ';' at the end of a line; comment lines are dropped. */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (line.trim().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String statement = current.toString().trim();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("Migration " + name + " is listed in MIGRATIONS but not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
