package io.torque.examples.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value (IMF-fixdate, RFC 9110 §5.6.7), formatted once a second by a
 * timer, not per response. {@link #bytes()} may be read from any thread: the array is replaced,
 * never changed, and published through a volatile field.
 */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private volatile byte[] current = format();

    /** The current value, 29 ASCII bytes. */
    byte[] bytes() {
        return current;
    }

    /** Formats the time now; the timer calls it every second. */
    void update() {
        current = format();
    }

    private static byte[] format() {
        return IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)).getBytes(StandardCharsets.US_ASCII);
    }
}
