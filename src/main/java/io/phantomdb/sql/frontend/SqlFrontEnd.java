package io.phantomdb.sql.frontend;

import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.expr.PhantomTypeSystem;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Calcite's half of planning: SQL text -> parse tree -> validated against the catalog -> logical relational
 * algebra ({@link RelRoot}). PostgreSQL's lexical rules: unquoted identifiers fold to lower case, "quoted"
 * ones are exact; NULL sorts high (ASC NULLS LAST). Errors become {@link PhantomSqlException}s with
 * SQLSTATE and 1-based position.
 *
 * <p>One instance per statement compilation (Calcite's validator and converter are stateful and not
 * thread-safe); creating one is cheap compared to planning.
 */
public final class SqlFrontEnd implements RelOptTable.ViewExpander {
    /** Parser settings shared by every statement (and by tests that build Calcite trees). */
    public static final SqlParser.Config PARSER_CONFIG = SqlParser.config()
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(true)
            .withConformance(SqlConformanceEnum.LENIENT);

    private static final SqlOperatorTable OPERATORS = SqlOperatorTables.chain(SqlStdOperatorTable.instance(),
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.POSTGRESQL));

    private final JavaTypeFactoryImpl typeFactory = new JavaTypeFactoryImpl(PhantomTypeSystem.INSTANCE);
    private final CalciteCatalogReader catalogReader;
    private final RelOptCluster cluster;
    private final String sqlText;
    private SqlValidator validator;

    public SqlFrontEnd(CatalogSnapshot catalog, CalciteTables.RowCountEstimator rowCounts, String sqlText) {
        this(CalciteTables.schema(catalog, rowCounts), sqlText);
    }

    /** Uses a schema already built for the catalog version (schemas are immutable; building one costs). */
    public SqlFrontEnd(CalciteSchema schema, String sqlText) {
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
        CalciteConnectionConfig config = new CalciteConnectionConfigImpl(properties);
        this.catalogReader = new CalciteCatalogReader(schema, List.of(), typeFactory, config);
        this.cluster = RelOptCluster.create(new HepPlanner(HepProgram.builder().build()), new RexBuilder(typeFactory));
        this.sqlText = sqlText;
    }

    public RelOptCluster cluster() {
        return cluster;
    }

    public RexBuilder rexBuilder() {
        return cluster.getRexBuilder();
    }

    /** Parses one statement. */
    public SqlNode parse() {
        return parse(sqlText);
    }

    static SqlNode parse(String text) {
        try {
            return SqlParser.create(text, PARSER_CONFIG).parseStmt().accept(UNARY_PLUS_REMOVER);
        } catch (SqlParseException e) {
            SqlParserPos pos = e.getPos();
            int position = pos == null ? 0 : offsetOf(text, pos.getLineNum(), pos.getColumnNum());
            throw new PhantomSqlException(SqlState.SYNTAX_ERROR, firstLine(e.getMessage()), position, e);
        }
    }

    /** Validates the parse tree against the catalog and converts it to logical relational algebra. */
    public RelRoot toRel(SqlNode parsed) {
        validator = newValidator();
        SqlNode validated;
        try {
            validated = validator.validate(parsed);
        } catch (CalciteContextException e) {
            throw ValidationErrors.translate(e, sqlText);
        } catch (RuntimeException e) {
            throw ValidationErrors.translateOther(e);
        }
        SqlToRelConverter converter = new SqlToRelConverter(this, validator, catalogReader, cluster,
                StandardConvertletTable.INSTANCE, SqlToRelConverter.config()
                        .withExpand(false)
                        .withInSubQueryThreshold(Integer.MAX_VALUE)
                        .withTrimUnusedFields(false));
        try {
            return converter.convertQuery(validated, false, true);
        } catch (CalciteContextException e) {
            throw ValidationErrors.translate(e, sqlText);
        }
    }

    /** Types of the statement's {@code ?}/{@code $n} parameters, after {@link #toRel}. */
    public RelDataType parameterRowType(SqlNode parsed) {
        return validator.getParameterRowType(parsed);
    }

    private SqlValidator newValidator() {
        return SqlValidatorUtil.newValidator(OPERATORS, catalogReader, typeFactory, SqlValidator.Config.DEFAULT
                .withConformance(SqlConformanceEnum.LENIENT)
                .withIdentifierExpansion(true)
                .withDefaultNullCollation(NullCollation.HIGH));
    }

    @Override
    public RelRoot expandView(RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath) {
        SqlNode parsed = parse(queryString);
        SqlValidator viewValidator = newValidator();
        SqlNode validated = viewValidator.validate(parsed);
        SqlToRelConverter converter = new SqlToRelConverter(this, viewValidator, catalogReader, cluster,
                StandardConvertletTable.INSTANCE, SqlToRelConverter.config()
                        .withExpand(false)
                        .withInSubQueryThreshold(Integer.MAX_VALUE)
                        .withTrimUnusedFields(false));
        return converter.convertQuery(validated, false, true);
    }

    /**
     * Unary plus is the identity on every type: {@code + text_column} is the text, as in SQLite and MySQL
     * (PostgreSQL has no unary plus for text and rejects it). Removing it before validation also keeps
     * Calcite from coercing the operand to a number.
     */
    private static final SqlShuttle UNARY_PLUS_REMOVER = new SqlShuttle() {
        @Override
        public SqlNode visit(SqlCall call) {
            if (call.getOperator().getKind() == SqlKind.PLUS_PREFIX) {
                SqlNode operand = call.operand(0);
                return operand == null ? null : operand.accept(this);
            }
            return super.visit(call);
        }
    };

    /** 1-based character offset of a (1-based) line and column in {@code text}. */
    static int offsetOf(String text, int line, int column) {
        if (line <= 0 || column <= 0) {
            return 0;
        }
        int offset = 0;
        for (int l = 1; l < line; l++) {
            int next = text.indexOf('\n', offset);
            if (next < 0) {
                return 0;
            }
            offset = next + 1;
        }
        return Math.min(offset + column, text.length() + 1);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
