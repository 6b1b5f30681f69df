package dev.vigil.app;

import dev.vigil.BadConfigException;
import dev.vigil.VigilException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies {@code name=value} overrides to a configuration record by component name, through its canonical
 * constructor, so the record's own checks run. Unknown names fail with one line naming the key.
 */
final class SettingOverrides {
    private SettingOverrides() {
    }

    /** Splits "section.name=value" strings into section → (name → value). */
    static Map<String, Map<String, String>> parse(Iterable<String> settings) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            int dot = s.indexOf('.');
            if (eq < 0 || dot < 0 || dot > eq) {
                throw new BadConfigException("setting '" + s + "' must look like section.name=value");
            }
            out.computeIfAbsent(s.substring(0, dot), k -> new LinkedHashMap<>()).put(s.substring(dot + 1, eq), s.substring(eq + 1));
        }
        return out;
    }

    /** A copy of {@code base} with the named components replaced. */
    static <R extends Record> R apply(R base, String section, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return base;
        }
        RecordComponent[] components = base.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        Map<String, String> left = new LinkedHashMap<>(values);
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent rc = components[i];
                types[i] = rc.getType();
                String text = left.remove(rc.getName());
                args[i] = text == null ? rc.getAccessor().invoke(base) : convert(section + "." + rc.getName(), rc.getType(), text);
            }
            if (!left.isEmpty()) {
                throw new BadConfigException("unknown setting " + section + "." + left.keySet().iterator().next());
            }
            @SuppressWarnings("unchecked")
            R result = (R) base.getClass().getDeclaredConstructor(types).newInstance(args);
            return result;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof VigilException v) {
                throw v;
            }
            throw new BadConfigException("bad " + section + " settings: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new BadConfigException("cannot apply " + section + " settings: " + e, e);
        }
    }

    private static Object convert(String key, Class<?> type, String text) {
        try {
            if (type == int.class) {
                return Integer.parseInt(text.trim());
            } else if (type == long.class) {
                return Long.parseLong(text.trim());
            } else if (type == double.class) {
                return Double.parseDouble(text.trim());
            } else if (type == boolean.class) {
                if (!text.trim().equalsIgnoreCase("true") && !text.trim().equalsIgnoreCase("false")) {
                    throw new NumberFormatException("not a boolean");
                }
                return Boolean.parseBoolean(text.trim());
            } else if (type == String.class) {
                return text;
            }
        } catch (NumberFormatException e) {
            String expected = type == double.class ? "a number" : type == boolean.class ? "true or false" : "an integer";
            throw new BadConfigException(key + " must be " + expected + ", got '" + text + "'");
        }
        throw new BadConfigException(key + " cannot be set from the command line");
    }
}
