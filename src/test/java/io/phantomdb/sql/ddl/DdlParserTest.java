package io.phantomdb.sql.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: {@link DdlParser} turns the CREATE/DROP statements PostgreSQL users write into the right records,
 * leaves every other statement to Calcite, and rejects bad or unsupported DDL with PostgreSQL's SQLSTATE and
 * the character position psql would point at.
 *
 * <p>Method: example statements, one behaviour per test; expected codes, messages and positions were checked
 * against PostgreSQL 15 where PostgreSQL accepts the same text. The sqllogictest corpus is covered by
 * {@link DdlCorpusTest}.
 */
class DdlParserTest {

    // ---------------------------------------------------------------- CREATE TABLE

    @Test
    void parsesColumnsTypesAndColumnConstraints() {
        CreateTable table = createTable("CREATE TABLE Orders (Id BIGINT PRIMARY KEY, \"Customer\" VARCHAR(40) NOT NULL,"
                + " total NUMERIC(12, 2) DEFAULT 0, note TEXT NULL, code CHAR(3) UNIQUE)");
        assertEquals("orders", table.name());
        assertFalse(table.ifNotExists());
        assertEquals(List.of(
                new ColumnSpec("id", TypeSpec.of(DataType.BIGINT), true, null),
                new ColumnSpec("Customer", new TypeSpec(DataType.VARCHAR, 40, -1), true, null),
                new ColumnSpec("total", new TypeSpec(DataType.DECIMAL, 12, 2), false, "0"),
                new ColumnSpec("note", TypeSpec.of(DataType.VARCHAR), false, null),
                new ColumnSpec("code", new TypeSpec(DataType.VARCHAR, 3, -1), false, null)), table.columns());
        assertEquals(List.of("id"), table.primaryKey());
        assertEquals(List.of(List.of("code")), table.uniqueConstraints());
        assertEquals(Map.of(), table.options());
    }

    @Test
    void tableConstraintsDefineCompositeKeysAndMakeKeyColumnsNotNull() {
        CreateTable table = createTable("create table if not exists t (a int, b int, c int,"
                + " constraint t_pk primary key (b, a), unique (c, a), CONSTRAINT u2 UNIQUE (a))");
        assertTrue(table.ifNotExists());
        assertEquals(List.of("b", "a"), table.primaryKey());
        assertEquals(List.of(List.of("c", "a"), List.of("a")), table.uniqueConstraints());
        assertTrue(table.columns().get(0).notNull(), "a is in the primary key");
        assertTrue(table.columns().get(1).notNull(), "b is in the primary key");
        assertFalse(table.columns().get(2).notNull());
    }

    @Test
    void aTableConstraintMayNameAColumnDefinedAfterIt() {
        CreateTable table = createTable("CREATE TABLE t (PRIMARY KEY (a), a INT)");
        assertEquals(List.of("a"), table.primaryKey());
    }

    @Test
    void uniqueConstraintsThatRepeatThePrimaryKeyOrEachOtherAreDropped() {
        CreateTable table = createTable("CREATE TABLE t (a INT UNIQUE, b INT, UNIQUE (a), UNIQUE (b), PRIMARY KEY (a))");
        assertEquals(List.of(List.of("b")), table.uniqueConstraints());
    }

    @Test
    void withOptionsHaveLowerCaseKeysAndTextValues() {
        CreateTable table = createTable("CREATE TABLE t (a INT) WITH (Partitions = 4, \"Mode\" = 'fast', flag, n = -2)");
        assertEquals(List.of("partitions", "mode", "flag", "n"), List.copyOf(table.options().keySet()));
        assertEquals("4", table.options().get("partitions"));
        assertEquals("fast", table.options().get("mode"));
        assertEquals("true", table.options().get("flag"));
        assertEquals("-2", table.options().get("n"));
    }

    @Test
    void quotedIdentifiersKeepCaseAndUnescapeDoubledQuotes() {
        CreateTable table = createTable("CREATE TABLE \"My \"\"T\"\"\" (\"select\" INT, ÄBC int)");
        assertEquals("My \"T\"", table.name());
        assertEquals("select", table.columns().get(0).name());
        assertEquals("Äbc", table.columns().get(1).name(), "only ASCII letters are folded, as PostgreSQL in UTF-8");
    }

    @Test
    void commentsKeywordCaseAndTrailingSemicolonsAreAccepted() {
        CreateTable table = createTable("-- orders\n  cReAtE /* a /* nested */ comment */ TaBlE t (\n"
                + "  a int -- the key\n  PRIMARY key\n);;");
        assertEquals(List.of("a"), table.primaryKey());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
        "DEFAULT 'a,b' NOT NULL             => 'a,b'",
        "DEFAULT (1 + 2) * 3 UNIQUE         => (1 + 2) * 3",
        "DEFAULT NULL                       => NULL",
        "DEFAULT NULL NOT NULL              => NULL",
        "DEFAULT 'x' || NULL                => 'x' || NULL",
        "DEFAULT 'it''s' CONSTRAINT c NULL  => 'it''s'",
        "DEFAULT -1                         => -1",
        "DEFAULT coalesce(NULL, 'a)')       => coalesce(NULL, 'a)')",
        "DEFAULT CURRENT_DATE               => CURRENT_DATE",
        "DEFAULT 1::text /* c */ PRIMARY KEY => 1::text",
        "DEFAULT x IS NOT NULL              => x IS NOT NULL",
    })
    void defaultCapturesTheRawExpressionUpToTheNextConstraint(String clause, String expected) {
        CreateTable table = createTable("CREATE TABLE t (a TEXT " + clause + ", b INT)");
        assertEquals(expected, table.columns().get(0).defaultSql());
        assertEquals(2, table.columns().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "smallint                    | SMALLINT  | -1 | -1",
        "INT2                        | SMALLINT  | -1 | -1",
        "int                         | INTEGER   | -1 | -1",
        "integer                     | INTEGER   | -1 | -1",
        "int4                        | INTEGER   | -1 | -1",
        "bigint                      | BIGINT    | -1 | -1",
        "int8                        | BIGINT    | -1 | -1",
        "numeric                     | DECIMAL   | -1 | -1",
        "decimal(10)                 | DECIMAL   | 10 | 0",
        "NUMERIC(10, 3)              | DECIMAL   | 10 | 3",
        "dec(4,6)                    | DECIMAL   | 4  | 6",
        "real                        | REAL      | -1 | -1",
        "float4                      | REAL      | -1 | -1",
        "float(24)                   | REAL      | -1 | -1",
        "float(25)                   | DOUBLE    | -1 | -1",
        "float                       | DOUBLE    | -1 | -1",
        "float8                      | DOUBLE    | -1 | -1",
        "double precision            | DOUBLE    | -1 | -1",
        "varchar                     | VARCHAR   | -1 | -1",
        "varchar(255)                | VARCHAR   | 255 | -1",
        "character varying(7)        | VARCHAR   | 7  | -1",
        "char varying                | VARCHAR   | -1 | -1",
        "text                        | VARCHAR   | -1 | -1",
        "char                        | VARCHAR   | 1  | -1",
        "character(12)               | VARCHAR   | 12 | -1",
        "boolean                     | BOOLEAN   | -1 | -1",
        "bool                        | BOOLEAN   | -1 | -1",
        "date                        | DATE      | -1 | -1",
        "timestamp                   | TIMESTAMP | -1 | -1",
        "timestamp without time zone | TIMESTAMP | -1 | -1",
        "timestamp(6)                | TIMESTAMP | -1 | -1",
        "bytea                       | BYTEA     | -1 | -1",
        "\"int4\"                    | INTEGER   | -1 | -1",
    })
    void typeNamesMapToDataTypes(String sqlType, DataType type, int precision, int scale) {
        CreateTable table = createTable("CREATE TABLE t (a " + sqlType + ")");
        assertEquals(new TypeSpec(type, precision, scale), table.columns().get(0).type());
    }

    @Test
    void columnSpecConvertsToTheCatalogColumnDefinition() {
        ColumnSpec column = createTable("CREATE TABLE t (a NUMERIC(5,1) NOT NULL DEFAULT 1.5)").columns().get(0);
        assertEquals(new io.phantomdb.catalog.ColumnDef("a", DataType.DECIMAL, 5, 1, false, "1.5"), column.toColumnDef());
    }

    // ---------------------------------------------------------------- CREATE TABLE errors

    @Test
    void unknownTypeIs42704AtTheTypeName() {
        PhantomSqlException e = fails("CREATE TABLE t (a int, b foo)", SqlState.UNDEFINED_OBJECT);
        assertEquals("type \"foo\" does not exist", e.getMessage());
        assertEquals(26, e.position());
    }

    @Test
    void positionsCountCharactersNotUtf16Units() {
        PhantomSqlException e = fails("CREATE TABLE \"\uD83D\uDE00\" (a foo)", SqlState.UNDEFINED_OBJECT);
        assertEquals(21, e.position(), "the emoji is one character, as in psql");
    }

    @ParameterizedTest
    @ValueSource(strings = {"double", "\"INT4\"", "serialx", "string"})
    void otherTypeNamesDoNotExist(String type) {
        fails("CREATE TABLE t (a " + type + ")", SqlState.UNDEFINED_OBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uuid", "jsonb", "serial", "BIGSERIAL", "timestamptz", "timestamp with time zone",
        "time", "interval", "int[]", "text array", "timestamp(3)", "numeric(5, -2)"})
    void postgresTypesPhantomCannotStoreAreNotSupported(String type) {
        fails("CREATE TABLE t (a " + type + ")", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "varchar(0)     | length for type varchar must be at least 1",
        "char(10485761) | length for type char cannot exceed 10485760",
        "numeric(1001)  | NUMERIC precision 1001 must be between 1 and 1000",
        "numeric(0, 0)  | NUMERIC precision 0 must be between 1 and 1000",
        "float(0)       | precision for type float must be at least 1 bit",
        "float(54)      | precision for type float must be less than 54 bits",
    })
    void typeModifiersOutOfRangeAre22023(String type, String message) {
        PhantomSqlException e = fails("CREATE TABLE t (a " + type + ")", SqlState.INVALID_PARAMETER_VALUE);
        assertEquals(message, e.getMessage());
        assertEquals(19, e.position(), "psql points at the type name");
    }

    @Test
    void typeModifierOnAPlainTypeIsASyntaxError() {
        PhantomSqlException e = fails("CREATE TABLE t (a text(5))", SqlState.SYNTAX_ERROR);
        assertEquals("type modifier is not allowed for type \"text\"", e.getMessage());
    }

    @Test
    void checkAndForeignKeysAreNotSupported() {
        PhantomSqlException check = fails("CREATE TABLE t (a int CHECK (a > 0))", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(23, check.position());
        assertTrue(check.getMessage().contains("CHECK"), check.getMessage());
        fails("CREATE TABLE t (a int, CONSTRAINT c CHECK (a > 0))", SqlState.FEATURE_NOT_SUPPORTED);
        fails("CREATE TABLE t (a int REFERENCES u (id))", SqlState.FEATURE_NOT_SUPPORTED);
        fails("CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES u)", SqlState.FEATURE_NOT_SUPPORTED);
        fails("CREATE TABLE t (a int GENERATED ALWAYS AS (1) STORED)", SqlState.FEATURE_NOT_SUPPORTED);
        fails("CREATE TABLE t (a int, EXCLUDE USING gist (a WITH =))", SqlState.FEATURE_NOT_SUPPORTED);
        fails("CREATE TABLE t (a int PRIMARY KEY DEFERRABLE)", SqlState.FEATURE_NOT_SUPPORTED);
        fails("CREATE TABLE t (LIKE u)", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void aColumnNamedExcludeIsAColumn() {
        assertEquals("exclude", createTable("CREATE TABLE t (exclude int)").columns().get(0).name());
    }

    @Test
    void twoPrimaryKeysAre42P17AtTheSecond() {
        PhantomSqlException e = fails("create table t2 (a int primary key, b int, primary key (b))",
                SqlState.INVALID_OBJECT_DEFINITION);
        assertEquals("multiple primary keys for table \"t2\" are not allowed", e.getMessage());
        assertEquals(44, e.position());
    }

    @Test
    void duplicateColumnsAre42701() {
        PhantomSqlException e = fails("CREATE TABLE t (a int, A text)", SqlState.DUPLICATE_COLUMN);
        assertEquals("column \"a\" specified more than once", e.getMessage());
        assertEquals(24, e.position());
        fails("CREATE TABLE t (a int, primary key (a, a))", SqlState.DUPLICATE_COLUMN);
        fails("CREATE TABLE t (a int, unique (a, a))", SqlState.DUPLICATE_COLUMN);
    }

    @Test
    void keyColumnsMustExist() {
        PhantomSqlException e = fails("CREATE TABLE t (a int, primary key (x))", SqlState.UNDEFINED_COLUMN);
        assertEquals("column \"x\" named in key does not exist", e.getMessage());
        assertEquals(37, e.position());
        fails("CREATE TABLE t (a int, unique (b))", SqlState.UNDEFINED_COLUMN);
    }

    @Test
    void nullAndNotNullTogetherConflict() {
        PhantomSqlException e = fails("create table t6 (a int not null null)", SqlState.SYNTAX_ERROR);
        assertEquals("conflicting NULL/NOT NULL declarations for column \"a\" of table \"t6\"", e.getMessage());
        assertEquals(33, e.position());
        fails("create table t (a int default 1 default 2)", SqlState.SYNTAX_ERROR);
    }

    @Test
    void primaryKeyWinsOverAnExplicitNull() {
        assertTrue(createTable("CREATE TABLE t (a int NULL PRIMARY KEY)").columns().get(0).notNull(),
                "PostgreSQL 15 accepts this and makes the column NOT NULL");
    }

    @Test
    void onlyTheCCollationIsAcceptedAndOnlyOnText() {
        createTable("CREATE TABLE t (a text COLLATE \"C\", b varchar(3) collate posix)");
        fails("CREATE TABLE t (a text COLLATE \"en_US\")", SqlState.FEATURE_NOT_SUPPORTED);
        fails("CREATE TABLE t (a int COLLATE \"C\")", SqlState.DATATYPE_MISMATCH);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CREATE TABLE t (a int,)             | 23",
        "CREATE TABLE t (select int)         | 17",
        "CREATE TABLE t a int                | 16",
        "CREATE TABLE t (a int               | 22",
        "CREATE TABLE (a int)                | 14",
        "CREATE TABLE t (a int) garbage      | 24",
        "CREATE TABLE t (a int); SELECT 1    | 25",
        "CREATE TABLE t (a varchar(x))       | 27",
        "CREATE TABLE t (a int default)      | 30",
        "CREATE TABLE t (a 'unterminated     | 19",
        "CREATE TABLE t (a int) /* open      | 24",
        "CREATE TABLE \"\" (a int)           | 14",
        "CREATE TABLE t (a int) WITH (x = )  | 34",
        "CREATE OR REPLACE TABLE t (a int)   | 19",
        "CREATE TABLE t (a int not)          | 26",
    })
    void malformedTablesAreSyntaxErrorsAtTheOffendingToken(String sql, int position) {
        PhantomSqlException e = fails(sql, SqlState.SYNTAX_ERROR);
        assertEquals(position, e.position(), e.getMessage());
    }

    @Test
    void syntaxErrorMessagesFollowPostgres() {
        assertTrue(fails("CREATE TABLE t (a int,)", SqlState.SYNTAX_ERROR).getMessage()
                .startsWith("syntax error at or near \")\""));
        assertTrue(fails("CREATE TABLE t (a int", SqlState.SYNTAX_ERROR).getMessage()
                .startsWith("syntax error at end of input"));
        assertTrue(fails("CREATE TABLE t (a 'x", SqlState.SYNTAX_ERROR).getMessage()
                .startsWith("unterminated quoted string"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TEMP TABLE t (a int)", "CREATE GLOBAL TEMPORARY TABLE t (a int)",
        "CREATE UNLOGGED TABLE t (a int)", "CREATE TABLE t AS SELECT 1", "CREATE TABLE s.t (a int)",
        "CREATE TABLE t (a int) PARTITION BY RANGE (a)", "CREATE TABLE t ()", "CREATE MATERIALIZED VIEW v AS SELECT 1",
        "CREATE RECURSIVE VIEW v (n) AS SELECT 1", "CREATE TEMP VIEW v AS SELECT 1", "DROP MATERIALIZED VIEW v"})
    void postgresFormsPhantomDoesNotSupportAre0A000(String sql) {
        fails(sql, SqlState.FEATURE_NOT_SUPPORTED);
    }

    // ---------------------------------------------------------------- not DDL

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "insert into t values (1)", "", "   ", "-- only a comment",
        "CREATE SCHEMA s", "CREATE FUNCTION f() RETURNS int AS $$ select 1 $$ LANGUAGE sql", "DROP SCHEMA s",
        "CREATE OR REPLACE FUNCTION f()", "SELECT 'unterminated", "\"create\" TABLE t (a int)",
        "WITH x AS (SELECT 1) SELECT * FROM x", "CREATE", "DROP", "create unique t", "CREATE 'x", "explain select 1",
        "DROP \"table\" t"})
    void otherStatementsAreLeftToCalcite(String sql) {
        assertEquals(java.util.Optional.empty(), DdlParser.parse(sql));
    }

    // ---------------------------------------------------------------- CREATE INDEX

    @Test
    void parsesIndexes() {
        CreateIndex index = createIndex("CREATE UNIQUE INDEX IF NOT EXISTS Idx_A ON T USING btree (a, B DESC, c ASC,"
                + " d DESC NULLS FIRST, e NULLS LAST, f COLLATE \"C\")");
        assertEquals(new CreateIndex("idx_a", "t", List.of(new IndexColumn("a", false), new IndexColumn("b", true),
                new IndexColumn("c", false), new IndexColumn("d", true), new IndexColumn("e", false),
                new IndexColumn("f", false)), true, true), index);
    }

    @Test
    void anUnnamedIndexGetsPostgresDefaultName() {
        CreateIndex index = createIndex("create index on t8b (a, b)");
        assertNull(index.name());
        assertFalse(index.unique());
        assertEquals("t8b_a_b_idx", index.chooseName(name -> false));
        Set<String> taken = Set.of("t8b_a_b_idx", "t8b_a_b_idx1");
        assertEquals("t8b_a_b_idx2", index.chooseName(taken::contains));
    }

    @Test
    void generatedIndexNamesStayWithin63BytesAsInPostgres() {
        String table = "t".repeat(40);
        CreateIndex index = createIndex("CREATE INDEX ON " + table + " (" + "c".repeat(40) + ")");
        // makeObjectName: 63 - 1 - 4 ("_idx") = 58 bytes for both names, the longer trimmed first: 29 + 29.
        assertEquals("t".repeat(29) + "_" + "c".repeat(29) + "_idx", index.chooseName(n -> false));
        assertEquals(63, index.chooseName(n -> false).length());
    }

    @Test
    void indexIfNotExistsNeedsAName() {
        PhantomSqlException e = fails("create index if not exists on t(a)", SqlState.SYNTAX_ERROR);
        assertEquals(28, e.position());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE INDEX i ON t (a ASC NULLS FIRST)", "CREATE INDEX i ON t (a DESC NULLS LAST)",
        "CREATE INDEX i ON t ((a + 1))", "CREATE INDEX i ON t (lower(a))", "CREATE INDEX i ON t USING hash (a)",
        "CREATE INDEX i ON t (a) WHERE a > 0", "CREATE INDEX i ON t (a) INCLUDE (b)",
        "CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX i ON t (a text_pattern_ops)",
        "CREATE UNIQUE INDEX i ON t (a) NULLS NOT DISTINCT", "CREATE INDEX i ON s.t (a)"})
    void indexFeaturesPhantomDoesNotHaveAre0A000(String sql) {
        fails(sql, SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void unknownAccessMethodIs42704() {
        fails("CREATE INDEX i ON t USING foo (a)", SqlState.UNDEFINED_OBJECT);
    }

    // ---------------------------------------------------------------- CREATE VIEW

    @Test
    void parsesViewsKeepingTheQueryText() {
        CreateView view = createView("CREATE OR REPLACE VIEW V1 (X, \"Y\") AS\n  SELECT a, b FROM t WHERE c = ';' ;\n");
        assertEquals(new CreateView("v1", false, true, List.of("x", "Y"), "SELECT a, b FROM t WHERE c = ';'"), view);
        CreateView cte = createView("create view if not exists v as with w as (select 1 as n) select n from w -- done");
        assertTrue(cte.ifNotExists());
        assertEquals("with w as (select 1 as n) select n from w", cte.querySql());
        assertEquals(List.of(), cte.columnNames());
    }

    @Test
    void viewErrors() {
        assertEquals(SqlState.DUPLICATE_COLUMN, failure("CREATE VIEW v (a, A) AS SELECT 1, 2").state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED,
                failure("CREATE VIEW v AS SELECT a FROM t WITH LOCAL CHECK OPTION").state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED,
                failure("CREATE VIEW v WITH (security_barrier) AS SELECT 1").state());
        assertEquals(SqlState.SYNTAX_ERROR, failure("CREATE VIEW v AS").state());
        assertEquals(SqlState.SYNTAX_ERROR, failure("CREATE VIEW v AS INSERT INTO t VALUES (1)").state());
        assertEquals(SqlState.SYNTAX_ERROR, failure("CREATE VIEW v AS SELECT 1; SELECT 2").state());
        assertEquals(SqlState.SYNTAX_ERROR, failure("CREATE VIEW v AS SELECT 'x").state());
        assertEquals(SqlState.SYNTAX_ERROR, failure("CREATE OR REPLACE VIEW IF NOT EXISTS v AS SELECT 1").state());
    }

    // ---------------------------------------------------------------- DROP

    @Test
    void parsesDrops() {
        assertEquals(new DropTable(List.of("a", "B"), true, true),
                parse("DROP TABLE IF EXISTS a, \"B\" CASCADE;"));
        assertEquals(new DropTable(List.of("t"), false), parse("drop table t restrict"));
        assertEquals(new DropIndex(List.of("i"), false, false), parse("DROP INDEX i"));
        assertEquals(new DropView(List.of("view_1_tab0_153"), true), parse("DROP VIEW IF EXISTS view_1_tab0_153"));
    }

    @Test
    void dropErrors() {
        assertEquals(SqlState.SYNTAX_ERROR, failure("DROP TABLE").state());
        assertEquals(SqlState.SYNTAX_ERROR, failure("DROP TABLE a b").state());
        assertEquals(SqlState.SYNTAX_ERROR, failure("DROP TABLE IF EXISTS").state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, failure("DROP INDEX CONCURRENTLY i").state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, failure("DROP TABLE public.t").state());
    }

    // ---------------------------------------------------------------- helpers

    private static DdlStatement parse(String sql) {
        return DdlParser.parse(sql).orElseThrow(() -> new AssertionError("not parsed as DDL: " + sql));
    }

    private static CreateTable createTable(String sql) {
        return (CreateTable) parse(sql);
    }

    private static CreateIndex createIndex(String sql) {
        return (CreateIndex) parse(sql);
    }

    private static CreateView createView(String sql) {
        return (CreateView) parse(sql);
    }

    private static PhantomSqlException failure(String sql) {
        return assertThrows(PhantomSqlException.class, () -> DdlParser.parse(sql), sql);
    }

    private static PhantomSqlException fails(String sql, SqlState state) {
        PhantomSqlException e = failure(sql);
        assertEquals(state, e.state(), sql + " -> " + e);
        return e;
    }
}
