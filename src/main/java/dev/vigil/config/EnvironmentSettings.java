package dev.vigil.config;

import dev.vigil.BadConfigException;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Application settings from environment variables: every variable named {@code VIGIL_<NAME>} sets one key of
 * {@code config/vigil.properties}. The key is {@code <NAME>} in lower case with each run of underscores
 * replaced: {@code _} → {@code .}, {@code __} → {@code _}, {@code ___} → {@code -} (the convention of
 * Confluent's Kafka images), so {@code VIGIL_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers},
 * {@code VIGIL_HTTP_ADVERTISED_HOST} sets {@code http.advertised.host} and
 * {@code VIGIL_KAFKA_SASL_JAAS_CONFIG} sets {@code kafka.sasl.jaas.config} (passed to the Kafka clients as
 * {@code sasl.jaas.config}). Longer runs of underscores and an empty name are refused. A {@code VIGIL_}
 * variable that names no key stops startup like an unknown key in the file. Immutable.
 *
 * @param values    key → value, sorted by key
 * @param variables key → the environment variable it came from (for messages)
 */
public record EnvironmentSettings(Map<String, String> values, Map<String, String> variables) {
    public static final String PREFIX = "VIGIL_";

    public EnvironmentSettings {
        values = Map.copyOf(values);
        variables = Map.copyOf(variables);
    }

    /** The settings among {@code env} (e.g. {@code System.getenv()}); variables without the prefix are ignored. */
    public static EnvironmentSettings of(Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> variables = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith(PREFIX)) {
                continue;
            }
            String key = key(variable);
            String before = variables.put(key, variable);
            if (before != null) {
                throw new BadConfigException("environment variables " + before + " and " + variable
                        + " both set " + key);
            }
            values.put(key, e.getValue().trim());
        }
        return new EnvironmentSettings(values, variables);
    }

    /** The settings key of a {@code VIGIL_} variable name. */
    public static String key(String variable) {
        String name = variable.substring(PREFIX.length());
        StringBuilder key = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c != '_') {
                key.append(Character.toLowerCase(c));
                i++;
                continue;
            }
            int run = 0;
            while (i < name.length() && name.charAt(i) == '_') {
                run++;
                i++;
            }
            if (run > 3) {
                throw new BadConfigException("environment variable " + variable + ": at most three underscores in a row"
                        + " (_ is '.', __ is '_', ___ is '-')");
            }
            key.append(run == 1 ? '.' : run == 2 ? '_' : '-');
        }
        if (key.length() == 0 || key.charAt(0) == '.' || key.charAt(key.length() - 1) == '.') {
            throw new BadConfigException("environment variable " + variable + " does not name a settings key");
        }
        return key.toString();
    }

    /** The variable that sets {@code key}: the inverse of {@link #key}. */
    public static String variable(String key) {
        StringBuilder name = new StringBuilder(PREFIX);
        for (char c : key.toCharArray()) {
            switch (c) {
                case '.' -> name.append('_');
                case '_' -> name.append("__");
                case '-' -> name.append("___");
                default -> name.append(Character.toUpperCase(c));
            }
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }
}
