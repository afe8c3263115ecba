package io.phantomdb.server.pgcatalog;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The session settings (GUCs) Phantom-DB knows: their canonical names, defaults, whether PostgreSQL reports
 * them in ParameterStatus, and how a new value is checked and normalized. A value Phantom-DB cannot honour
 * (DateStyle other than ISO, standard_conforming_strings off) is refused with 0A000 instead of being stored
 * and ignored, because clients format and parse values by these settings.
 */
final class KnownSettings {
    /** PostgreSQL truncates names (application_name) to NAMEDATALEN - 1 bytes; we count characters. */
    static final int NAME_LENGTH_MAX = 63;
    static final String SERVER_VERSION = "15.0";

    /** One setting. {@code check} returns the normalized value or throws; null marks a read-only setting. */
    record Def(String name, String defaultValue, boolean reported, UnaryOperator<String> check, String description) {
        boolean readOnly() {
            return check == null;
        }
    }

    private static final Map<String, Def> DEFS = new LinkedHashMap<>();

    static {
        fixed("server_version", SERVER_VERSION, true, "Shows the server version.");
        fixed("server_version_num", "150000", false, "Shows the server version as an integer.");
        fixed("server_encoding", "UTF8", true, "Shows the server (database) character set encoding.");
        fixed("integer_datetimes", "on", true, "Shows whether datetimes are integer based.");
        fixed("is_superuser", "off", true, "Shows whether the current user is a superuser.");
        fixed("session_authorization", "", true, "Sets the session user name.");
        fixed("in_hot_standby", "off", true, "Shows whether hot standby is currently active.");
        fixed("max_identifier_length", String.valueOf(NAME_LENGTH_MAX), false, "Shows the maximum identifier length.");
        fixed("max_index_keys", "32", false, "Shows the maximum number of index keys.");
        fixed("block_size", "8192", false, "Shows the size of a disk block.");
        fixed("lc_collate", "C", false, "Shows the collation order locale.");
        fixed("lc_ctype", "C", false, "Shows the character classification and case conversion locale.");
        def("client_encoding", "UTF8", true, KnownSettings::clientEncoding, "Sets the client's character set encoding.");
        def("DateStyle", "ISO, MDY", true, KnownSettings::dateStyle, "Sets the display format for date and time values.");
        def("TimeZone", "UTC", true, KnownSettings::timeZone, "Sets the time zone for displaying and interpreting time stamps.");
        def("IntervalStyle", "postgres", true, v -> only("IntervalStyle", v, "postgres"), "Sets the display format for interval values.");
        def("standard_conforming_strings", "on", true, v -> only("standard_conforming_strings", bool("standard_conforming_strings", v), "on"),
                "Causes '...' strings to treat backslashes literally.");
        def("default_transaction_read_only", "off", true, v -> only("default_transaction_read_only", bool("default_transaction_read_only", v), "off"),
                "Sets the default read-only status of new transactions (use SET SESSION CHARACTERISTICS AS TRANSACTION).");
        def("application_name", "", true, KnownSettings::name, "Sets the application name to be reported in statistics and logs.");
        def("extra_float_digits", "1", false, v -> integer("extra_float_digits", v, -15, 3), "Sets the number of digits displayed for floating-point values.");
        def("search_path", "\"$user\", public", false, v -> v, "Sets the schema search order for names that are not schema-qualified.");
        def("client_min_messages", "notice", false, KnownSettings::messageLevel, "Sets the message levels that are sent to the client.");
        def("bytea_output", "hex", false, v -> only("bytea_output", v.toLowerCase(Locale.ROOT), "hex"), "Sets the output format for bytea.");
        def("statement_timeout", "0", false, v -> duration("statement_timeout", v), "Sets the maximum allowed duration of any statement.");
        def("lock_timeout", "0", false, v -> duration("lock_timeout", v), "Sets the maximum allowed duration of any wait for a lock.");
        def("idle_in_transaction_session_timeout", "0", false, v -> duration("idle_in_transaction_session_timeout", v),
                "Sets the maximum allowed idle time between queries, when in a transaction.");
        for (String lc : List.of("lc_messages", "lc_monetary", "lc_numeric", "lc_time")) {
            def(lc, "C", false, v -> v, "Sets the locale for " + lc.substring(3) + ".");
        }
        def("timezone_abbreviations", "Default", false, v -> v, "Selects a file of time zone abbreviations.");
    }

    private KnownSettings() {}

    private static void def(String name, String value, boolean reported, UnaryOperator<String> check, String description) {
        DEFS.put(name.toLowerCase(Locale.ROOT), new Def(name, value, reported, check, description));
    }

    private static void fixed(String name, String value, boolean reported, String description) {
        def(name, value, reported, null, description);
    }

    /** The setting called {@code name} (any case), or 42704 as PostgreSQL. */
    static Def lookup(String name) {
        Def def = DEFS.get(name.toLowerCase(Locale.ROOT));
        if (def == null) {
            throw new PhantomSqlException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
        }
        return def;
    }

    static boolean known(String name) {
        return DEFS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    static List<Def> all() {
        return Collections.unmodifiableList(new ArrayList<>(DEFS.values()));
    }

    private static PhantomSqlException invalid(String name, String value) {
        return new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"" + name + "\": \"" + value + "\"");
    }

    private static String only(String name, String value, String allowed) {
        if (!value.equals(allowed)) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED,
                    "Phantom-DB supports only " + name + " = " + allowed + ", not \"" + value + "\"");
        }
        return value;
    }

    private static String clientEncoding(String value) {
        String v = value.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (v.equals("UTF8") || v.equals("UNICODE")) {
            return "UTF8";
        }
        // SQL_ASCII means "no conversion": libpq asks for it under the C locale; UTF8 bytes pass unchanged.
        if (v.equals("SQLASCII")) {
            return "SQL_ASCII";
        }
        throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"client_encoding\": \"" + value + "\" (Phantom-DB speaks only UTF8)");
    }

    private static String dateStyle(String value) {
        String format = null;
        String order = "MDY";
        for (String part : value.split("[,\\s]+")) {
            String p = part.toUpperCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("ISO") || p.equals("POSTGRES") || p.equals("SQL") || p.equals("GERMAN")) {
                format = p;
            } else if (p.equals("MDY") || p.equals("US") || p.equals("NONEURO") || p.equals("NONEUROPEAN")) {
                order = "MDY";
            } else if (p.equals("DMY") || p.equals("EURO") || p.equals("EUROPEAN")) {
                order = "DMY";
            } else if (p.equals("YMD")) {
                order = "YMD";
            } else {
                throw invalid("DateStyle", value);
            }
        }
        if (format != null && !format.equals("ISO")) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED,
                    "Phantom-DB formats dates only as ISO (DateStyle = 'ISO'), not \"" + value + "\"");
        }
        return "ISO, " + order;
    }

    private static String timeZone(String value) {
        if (value.equalsIgnoreCase("utc") || value.equalsIgnoreCase("gmt") || value.equalsIgnoreCase("z")) {
            return value.toUpperCase(Locale.ROOT);
        }
        try {
            return ZoneId.of(value).getId();
        } catch (DateTimeException e) {
            throw invalid("TimeZone", value);
        }
    }

    private static String name(String value) {
        return value.length() > NAME_LENGTH_MAX ? value.substring(0, NAME_LENGTH_MAX) : value;
    }

    private static String bool(String name, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("on") || v.equals("true") || v.equals("yes") || v.equals("1") || v.equals("t")) {
            return "on";
        }
        if (v.equals("off") || v.equals("false") || v.equals("no") || v.equals("0") || v.equals("f")) {
            return "off";
        }
        throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, "parameter \"" + name + "\" requires a Boolean value");
    }

    private static String integer(String name, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"" + name + "\": \"" + value + "\"");
        }
        if (n < min || n > max) {
            throw new PhantomSqlException(SqlState.INVALID_PARAMETER_VALUE, n + " is outside the valid range for parameter \""
                    + name + "\" (" + min + " .. " + max + ")");
        }
        return String.valueOf(n);
    }

    private static String messageLevel(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        List<String> levels = List.of("debug5", "debug4", "debug3", "debug2", "debug1", "debug", "log", "notice",
                "warning", "error", "info");
        if (!levels.contains(v)) {
            throw invalid("client_min_messages", value);
        }
        return v;
    }

    /**
     * A duration setting in PostgreSQL's form: a number of milliseconds, or a number with a unit (ms, s, min,
     * h, d). Stored as given (normalized spacing) so SHOW prints it back; {@link #millis} reads it.
     */
    private static String duration(String name, String value) {
        String v = value.trim().replace(" ", "");
        if (millisOrNegative(v) < 0) {
            throw invalid(name, value);
        }
        return v.equals("0ms") ? "0" : v;
    }

    static long millis(String value) {
        long ms = millisOrNegative(value);
        if (ms < 0) {
            throw new IllegalStateException("stored duration is malformed: " + value);
        }
        return ms;
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|min|h|d)?");

    private static long millisOrNegative(String v) {
        java.util.regex.Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        switch (unit) {
            case "s": return n * 1000L;
            case "min": return n * 60_000L;
            case "h": return n * 3_600_000L;
            case "d": return n * 86_400_000L;
            default: return n;
        }
    }
}
