package io.torque.topology.cli;

/**
 * A minimal JSON writer: objects, arrays, strings, numbers, booleans and null, written in order,
 * with the commas placed for the caller. Not threadsafe; one per document.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** Whether the current container already holds a value (so the next needs a comma). */
    private final java.util.ArrayDeque<Boolean> filled = new java.util.ArrayDeque<>();
    private boolean afterName;

    JsonWriter beginObject() {
        value();
        out.append('{');
        filled.push(false);
        return this;
    }

    JsonWriter endObject() {
        filled.pop();
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        value();
        out.append('[');
        filled.push(false);
        return this;
    }

    JsonWriter endArray() {
        filled.pop();
        out.append(']');
        return this;
    }

    JsonWriter name(String name) {
        value();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        value();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    JsonWriter value(long n) {
        value();
        out.append(n);
        return this;
    }

    JsonWriter value(double d) {
        value();
        if (Double.isFinite(d)) {
            out.append(d);
        } else {
            out.append("null");
        }
        return this;
    }

    JsonWriter value(boolean b) {
        value();
        out.append(b);
        return this;
    }

    JsonWriter nullValue() {
        value();
        out.append("null");
        return this;
    }

    JsonWriter values(int[] numbers) {
        beginArray();
        for (int n : numbers) {
            value(n);
        }
        return endArray();
    }

    /** Places the comma before a value or name, when one is due. */
    private void value() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!filled.isEmpty()) {
            if (filled.peek()) {
                out.append(',');
            } else {
                filled.pop();
                filled.push(true);
            }
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
