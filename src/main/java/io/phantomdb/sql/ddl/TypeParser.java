package io.phantomdb.sql.ddl;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.ddl.Token.Kind;
import java.util.Map;
import java.util.Set;

/**
 * Column types, with PostgreSQL's names and modifier rules: {@code SMALLINT/INT2, INT/INTEGER/INT4,
 * BIGINT/INT8, NUMERIC/DECIMAL/DEC[(p[, s])], REAL/FLOAT4, DOUBLE PRECISION/FLOAT8, FLOAT[(p)],
 * VARCHAR/CHARACTER VARYING[(n)], TEXT, CHAR/CHARACTER[(n)], BOOLEAN/BOOL, DATE, TIMESTAMP [WITHOUT TIME
 * ZONE], BYTEA}. A type PostgreSQL has but Phantom-DB does not store is 0A000; any other name is 42704.
 */
final class TypeParser {
    /** PostgreSQL's limits (numeric.c, varchar.c, float.c), checked with its error texts. */
    private static final int NUMERIC_PRECISION_MAX = 1000;
    private static final int VARCHAR_LENGTH_MAX = 10_485_760;
    private static final int REAL_FLOAT_BITS_MAX = 24;
    private static final int DOUBLE_FLOAT_BITS_MAX = 53;

    /** Names that take no modifier. */
    private static final Map<String, DataType> PLAIN = Map.ofEntries(
            Map.entry("smallint", DataType.SMALLINT), Map.entry("int2", DataType.SMALLINT),
            Map.entry("int", DataType.INTEGER), Map.entry("integer", DataType.INTEGER),
            Map.entry("int4", DataType.INTEGER), Map.entry("bigint", DataType.BIGINT),
            Map.entry("int8", DataType.BIGINT), Map.entry("real", DataType.REAL), Map.entry("float4", DataType.REAL),
            Map.entry("float8", DataType.DOUBLE), Map.entry("text", DataType.VARCHAR),
            Map.entry("boolean", DataType.BOOLEAN), Map.entry("bool", DataType.BOOLEAN),
            Map.entry("date", DataType.DATE), Map.entry("bytea", DataType.BYTEA));

    /** PostgreSQL types Phantom-DB cannot store: a clear 0A000 rather than "does not exist". */
    private static final Set<String> UNSUPPORTED = Set.of("time", "timetz", "timestamptz", "interval", "json",
            "jsonb", "uuid", "money", "xml", "inet", "cidr", "macaddr", "macaddr8", "bit", "varbit", "point",
            "line", "lseg", "box", "path", "polygon", "circle", "tsvector", "tsquery", "oid", "name", "national",
            "nchar", "bpchar", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange");

    private static final Set<String> SERIAL = Set.of("serial", "serial2", "serial4", "serial8", "smallserial",
            "bigserial");

    private TypeParser() {}

    static TypeSpec parse(TokenCursor c) {
        Token name = c.peek();
        if (name.kind() != Kind.WORD && name.kind() != Kind.QUOTED) {
            throw c.syntaxError(name, "a type name");
        }
        c.next();
        // Quoted type names are looked up as written (no folding) and never start a multi-word name.
        TypeSpec type = name.kind() == Kind.WORD ? multiWordOrModified(c, name) : null;
        if (type == null) {
            type = plain(c, name);
        }
        if (c.peekPunct('[') || c.peekWord("array")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "array types are not supported", c.peek());
        }
        return type;
    }

    /** Types whose name has several words or that take modifiers; null for any other name. */
    private static TypeSpec multiWordOrModified(TokenCursor c, Token name) {
        switch (name.text()) {
            case "double":
                if (!c.acceptWord("precision")) {
                    throw undefined(c, name);
                }
                return TypeSpec.of(DataType.DOUBLE);
            case "numeric":
            case "decimal":
            case "dec":
                return decimal(c, name);
            case "float":
                return floatType(c, name);
            case "varchar":
                return varchar(c, name, -1);
            case "character":
            case "char":
                return varchar(c, name, c.acceptWord("varying") ? -1 : 1);
            case "timestamp":
                return timestamp(c, name);
            default:
                return null;
        }
    }

    private static TypeSpec plain(TokenCursor c, Token name) {
        DataType type = PLAIN.get(name.text());
        if (type == null) {
            throw unknown(c, name);
        }
        if (c.peekPunct('(')) {
            throw c.error(SqlState.SYNTAX_ERROR, "type modifier is not allowed for type \"" + name.text() + "\"",
                    name);
        }
        return TypeSpec.of(type);
    }

    private static RuntimeException unknown(TokenCursor c, Token name) {
        if (SERIAL.contains(name.text())) {
            return c.error(SqlState.FEATURE_NOT_SUPPORTED, "type \"" + name.text()
                    + "\" is not supported (there are no sequences); use INTEGER or BIGINT with explicit values", name);
        }
        if (UNSUPPORTED.contains(name.text())) {
            return c.error(SqlState.FEATURE_NOT_SUPPORTED, "type \"" + name.text() + "\" is not supported", name);
        }
        return undefined(c, name);
    }

    private static RuntimeException undefined(TokenCursor c, Token name) {
        return c.error(SqlState.UNDEFINED_OBJECT, "type \"" + name.text() + "\" does not exist", name);
    }

    /** NUMERIC: no modifier = any precision and scale; (p) = scale 0; (p, s) with s >= 0 (s > p is allowed, as in PG 15). */
    private static TypeSpec decimal(TokenCursor c, Token name) {
        if (!c.acceptPunct('(')) {
            return TypeSpec.of(DataType.DECIMAL);
        }
        int precision = integer(c);
        if (precision < 1 || precision > NUMERIC_PRECISION_MAX) {
            throw c.error(SqlState.INVALID_PARAMETER_VALUE, "NUMERIC precision " + precision
                    + " must be between 1 and " + NUMERIC_PRECISION_MAX, name);
        }
        int scale = 0;
        if (c.acceptPunct(',')) {
            Token scaleToken = c.peek();
            if (scaleToken.kind() == Kind.OPERATOR && scaleToken.text().equals("-")) {
                throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "negative NUMERIC scale is not supported", scaleToken);
            }
            scale = integer(c);
            if (scale > NUMERIC_PRECISION_MAX) {
                throw c.error(SqlState.INVALID_PARAMETER_VALUE, "NUMERIC scale " + scale
                        + " must be between -" + NUMERIC_PRECISION_MAX + " and " + NUMERIC_PRECISION_MAX, name);
            }
        }
        c.expectPunct(')');
        return new TypeSpec(DataType.DECIMAL, precision, scale);
    }

    /** FLOAT(p): p binary digits; up to 24 is REAL, up to 53 DOUBLE (SQL standard, as PostgreSQL). */
    private static TypeSpec floatType(TokenCursor c, Token name) {
        if (!c.acceptPunct('(')) {
            return TypeSpec.of(DataType.DOUBLE);
        }
        int bits = integer(c);
        c.expectPunct(')');
        if (bits < 1) {
            throw c.error(SqlState.INVALID_PARAMETER_VALUE, "precision for type float must be at least 1 bit",
                    name);
        }
        if (bits > DOUBLE_FLOAT_BITS_MAX) {
            throw c.error(SqlState.INVALID_PARAMETER_VALUE, "precision for type float must be less than "
                    + (DOUBLE_FLOAT_BITS_MAX + 1) + " bits", name);
        }
        return TypeSpec.of(bits <= REAL_FLOAT_BITS_MAX ? DataType.REAL : DataType.DOUBLE);
    }

    /** VARCHAR[(n)]; {@code defaultLength} applies without (n): -1 (unlimited) or 1 for CHAR. */
    private static TypeSpec varchar(TokenCursor c, Token name, int defaultLength) {
        if (!c.acceptPunct('(')) {
            return new TypeSpec(DataType.VARCHAR, defaultLength, -1);
        }
        int length = integer(c);
        c.expectPunct(')');
        String typeName = defaultLength == 1 ? "char" : "varchar";
        if (length < 1) {
            throw c.error(SqlState.INVALID_PARAMETER_VALUE, "length for type " + typeName + " must be at least 1",
                    name);
        }
        if (length > VARCHAR_LENGTH_MAX) {
            throw c.error(SqlState.INVALID_PARAMETER_VALUE, "length for type " + typeName + " cannot exceed "
                    + VARCHAR_LENGTH_MAX, name);
        }
        return new TypeSpec(DataType.VARCHAR, length, -1);
    }

    /** TIMESTAMP [(6)] [WITHOUT TIME ZONE]; values are always kept to the microsecond, so (p < 6) is refused. */
    private static TypeSpec timestamp(TokenCursor c, Token name) {
        if (c.acceptPunct('(')) {
            Token precisionToken = c.peek();
            int precision = integer(c);
            c.expectPunct(')');
            if (precision < 6) {
                throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "TIMESTAMP(" + precision
                        + ") is not supported; timestamps keep microseconds, use TIMESTAMP", precisionToken);
            }
        }
        if (c.peekWord("with") && c.peek(1).isWord("time")) {
            throw c.error(SqlState.FEATURE_NOT_SUPPORTED, "type \"timestamp with time zone\" is not supported",
                    c.peek());
        }
        if (c.acceptWord("without")) {
            c.expectWord("time");
            c.expectWord("zone");
        }
        return TypeSpec.of(DataType.TIMESTAMP);
    }

    /** An unsigned integer literal (a type modifier). */
    private static int integer(TokenCursor c) {
        Token token = c.peek();
        if (token.kind() != Kind.NUMBER || !token.text().chars().allMatch(Character::isDigit)) {
            throw c.syntaxError(token, "an integer");
        }
        c.next();
        String digits = token.text().replaceFirst("^0+(?=.)", "");
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
