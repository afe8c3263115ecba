package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.exec.Scalar;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlTrimFunction;

/**
 * Text functions with PostgreSQL's semantics, counting characters as code points: || and CONCAT, UPPER,
 * LOWER, INITCAP, SUBSTRING, TRIM, CHAR_LENGTH (also CHARACTER_LENGTH, LENGTH), POSITION, REPLACE, and
 * LIKE / NOT LIKE / ILIKE (see {@link LikePattern}). Non-text operands are converted to text first.
 */
final class StringFunctions {
    private StringFunctions() {}

    /** The compiled call, or null if it is not a text function. */
    static Scalar compile(Compilation c, RexCall call) {
        if (call.getKind() == SqlKind.LIKE && call.getOperator() instanceof SqlLikeOperator) {
            return like(c, call);
        }
        switch (call.getKind()) {
            case TRIM:
                return trim(c, call);
            case POSITION:
                return position(c, call);
            case CHAR_LENGTH:
                return unaryText(c, call, s -> s.codePointCount(0, s.length()), DataType.INTEGER);
            default:
                break;
        }
        switch (call.getOperator().getName()) {
            case "||":
                return Strict.nary(texts(c, call.getOperands()), StringFunctions::concat);
            case "CONCAT":
                return concatIgnoringNulls(texts(c, call.getOperands()));
            case "UPPER":
                return unaryText(c, call, s -> s.toUpperCase(Locale.ROOT), DataType.VARCHAR);
            case "LOWER":
                return unaryText(c, call, s -> s.toLowerCase(Locale.ROOT), DataType.VARCHAR);
            case "INITCAP":
                return unaryText(c, call, StringFunctions::initcap, DataType.VARCHAR);
            case "SUBSTRING":
                return substring(c, call);
            case "REPLACE":
                return CallCompiler.finish(c, call, Strict.nary(texts(c, call.getOperands()),
                        v -> replace((String) v[0], (String) v[1], (String) v[2])), DataType.VARCHAR);
            default:
                return null;
        }
    }

    @FunctionalInterface
    private interface TextFunction {
        Object apply(String text);
    }

    private static Scalar unaryText(Compilation c, RexCall call, TextFunction function, DataType resultType) {
        Scalar text = c.compileAs(call.getOperands().get(0), DataType.VARCHAR);
        return CallCompiler.finish(c, call, Strict.unary(text, v -> function.apply((String) v)), resultType);
    }

    private static Scalar[] texts(Compilation c, List<RexNode> operands) {
        return operands.stream().map(operand -> c.compileAs(operand, DataType.VARCHAR)).toArray(Scalar[]::new);
    }

    private static String concat(Object[] texts) {
        StringBuilder out = new StringBuilder();
        for (Object text : texts) {
            out.append((String) text);
        }
        return out.toString();
    }

    /** PostgreSQL's concat(): NULL arguments are skipped, the result is never NULL. */
    private static Scalar concatIgnoringNulls(Scalar[] operands) {
        return (row, bindings) -> {
            StringBuilder out = new StringBuilder();
            for (Scalar operand : operands) {
                Object value = operand.eval(row, bindings);
                if (value != null) {
                    out.append((String) value);
                }
            }
            return out.toString();
        };
    }

    /** PostgreSQL: replacing the empty string changes nothing (Java would insert between every character). */
    static String replace(String text, String from, String to) {
        return from.isEmpty() ? text : text.replace(from, to);
    }

    /** First letter of each run of letters and digits upper case, the rest lower case. */
    static String initcap(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            out.appendCodePoint(inWord ? Character.toLowerCase(cp) : Character.toUpperCase(cp));
            inWord = Character.isLetterOrDigit(cp);
        }
        return out.toString();
    }

    /** SUBSTRING(s FROM start [FOR count]), 1-based; a start before 1 still counts toward the length. */
    private static Scalar substring(Compilation c, RexCall call) {
        List<RexNode> operands = call.getOperands();
        Scalar text = c.compileAs(operands.get(0), DataType.VARCHAR);
        Scalar start = c.compileAs(operands.get(1), DataType.BIGINT);
        Scalar[] arguments = operands.size() > 2
                ? new Scalar[] {text, start, c.compileAs(operands.get(2), DataType.BIGINT)}
                : new Scalar[] {text, start};
        Scalar computed = Strict.nary(arguments, v -> substring((String) v[0], (Long) v[1], v.length > 2 ? (Long) v[2] : null));
        return CallCompiler.finish(c, call, computed, DataType.VARCHAR);
    }

    static String substring(String text, long start, Long count) {
        if (count != null && count < 0) {
            throw ExprErrors.invalidArgument("negative substring length not allowed");
        }
        long length = text.codePointCount(0, text.length());
        long first = Math.max(start, 1);
        // Saturating: start + count can exceed long only for absurd counts, which mean "to the end".
        long end = count == null || start > Long.MAX_VALUE - count ? length + 1 : Math.min(start + count, length + 1);
        if (end <= first || first > length) {
            return "";
        }
        int from = text.offsetByCodePoints(0, (int) (first - 1));
        int to = text.offsetByCodePoints(from, (int) (end - first));
        return text.substring(from, to);
    }

    /** Calcite's TRIM(flag, characters, text); PostgreSQL removes any of the characters, not a string. */
    private static Scalar trim(Compilation c, RexCall call) {
        List<RexNode> operands = call.getOperands();
        SqlTrimFunction.Flag flag = ((RexLiteral) operands.get(0)).getValueAs(SqlTrimFunction.Flag.class);
        boolean leading = flag != SqlTrimFunction.Flag.TRAILING;
        boolean trailing = flag != SqlTrimFunction.Flag.LEADING;
        Scalar characters = c.compileAs(operands.get(1), DataType.VARCHAR);
        Scalar text = c.compileAs(operands.get(2), DataType.VARCHAR);
        Scalar computed = Strict.binary(text, characters, (t, set) -> trim((String) t, (String) set, leading, trailing));
        return CallCompiler.finish(c, call, computed, DataType.VARCHAR);
    }

    static String trim(String text, String characters, boolean leading, boolean trailing) {
        int begin = 0;
        int end = text.length();
        if (leading) {
            while (begin < end && characters.indexOf(text.codePointAt(begin)) >= 0) {
                begin += Character.charCount(text.codePointAt(begin));
            }
        }
        if (trailing) {
            while (end > begin && characters.indexOf(text.codePointBefore(end)) >= 0) {
                end -= Character.charCount(text.codePointBefore(end));
            }
        }
        return text.substring(begin, end);
    }

    /** POSITION(needle IN haystack [FROM start]): 1-based code-point index, 0 if absent; '' is found at 1. */
    private static Scalar position(Compilation c, RexCall call) {
        List<RexNode> operands = call.getOperands();
        Scalar needle = c.compileAs(operands.get(0), DataType.VARCHAR);
        Scalar haystack = c.compileAs(operands.get(1), DataType.VARCHAR);
        Scalar[] arguments = operands.size() > 2
                ? new Scalar[] {needle, haystack, c.compileAs(operands.get(2), DataType.BIGINT)}
                : new Scalar[] {needle, haystack};
        Scalar computed = Strict.nary(arguments, v -> position((String) v[0], (String) v[1], v.length > 2 ? (Long) v[2] : 1L));
        return CallCompiler.finish(c, call, computed, DataType.INTEGER);
    }

    static Integer position(String needle, String haystack, long start) {
        long length = haystack.codePointCount(0, haystack.length());
        if (start < 1 || start > length + 1) {
            return 0;
        }
        int from = haystack.offsetByCodePoints(0, (int) (start - 1));
        int found = haystack.indexOf(needle, from);
        return found < 0 ? 0 : haystack.codePointCount(0, found) + 1;
    }

    /** LIKE with a constant pattern compiles it once; a bad constant pattern still fails only when evaluated. */
    private static Scalar like(Compilation c, RexCall call) {
        SqlLikeOperator operator = (SqlLikeOperator) call.getOperator();
        boolean negated = operator.isNegated();
        boolean caseInsensitive = !operator.isCaseSensitive();
        List<RexNode> operands = call.getOperands();
        Scalar text = c.compileAs(operands.get(0), DataType.VARCHAR);
        LikePattern constant = constantPattern(operands, caseInsensitive);
        if (constant != null) {
            return Strict.unary(text, t -> constant.matches((String) t) != negated);
        }
        Scalar[] arguments = texts(c, operands);
        return Strict.nary(arguments, v -> LikePattern.compile((String) v[1], v.length > 2 ? (String) v[2] : null,
                caseInsensitive).matches((String) v[0]) != negated);
    }

    private static LikePattern constantPattern(List<RexNode> operands, boolean caseInsensitive) {
        for (RexNode operand : operands.subList(1, operands.size())) {
            if (!(operand instanceof RexLiteral) || ((RexLiteral) operand).isNull()) {
                return null;
            }
        }
        String pattern = ((RexLiteral) operands.get(1)).getValueAs(String.class);
        String escape = operands.size() > 2 ? ((RexLiteral) operands.get(2)).getValueAs(String.class) : null;
        try {
            return LikePattern.compile(pattern, escape, caseInsensitive);
        } catch (PhantomSqlException invalid) {
            return null;
        }
    }
}
