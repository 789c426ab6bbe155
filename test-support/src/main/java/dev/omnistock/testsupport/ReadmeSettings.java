package dev.omnistock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;

/** Holds the README's configuration table to the settings' definitions: every setting listed, with its default. */
public final class ReadmeSettings {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| ([^|]*) \\|");
    private static final Pattern SECRET_ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| [^|]* \\| secret");

    private ReadmeSettings() {
    }

    /** @throws AssertionError naming each setting the README leaves out or gives another default */
    public static void assertDocumented(ConfigDef definitions) {
        Map<String, String> documented = defaults();
        List<String> problems = new ArrayList<>();
        for (ConfigDef.ConfigKey key : definitions.configKeys().values()) {
            String readme = documented.get(key.name);
            if (readme == null) {
                problems.add(key.name + " is not in the README's configuration table");
                continue;
            }
            if (key.hasDefault() && key.defaultValue != null) {
                String value = ConfigDef.convertToString(key.defaultValue, key.type);
                if (!value.isEmpty() && !readme.equals("`" + value + "`")) {
                    problems.add(key.name + ": the README says " + readme + ", the definition `" + value + "`");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    /** Every setting the README's configuration table lists. */
    public static Set<String> names() {
        return defaults().keySet();
    }

    /** The settings the table marks as secrets (their meaning starts with "secret"). */
    public static Set<String> secrets() {
        Set<String> secrets = new HashSet<>();
        for (String line : readmeLines()) {
            Matcher row = SECRET_ROW.matcher(line);
            if (row.find()) {
                secrets.add(row.group(1));
            }
        }
        return secrets;
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new HashMap<>();
        for (String line : readmeLines()) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                defaults.put(row.group(1), row.group(2).trim());
            }
        }
        return defaults;
    }

    private static List<String> readmeLines() {
        try {
            return Files.readAllLines(readme());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
