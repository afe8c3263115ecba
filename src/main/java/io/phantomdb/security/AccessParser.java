package io.phantomdb.security;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.security.AccessStatement.AlterRole;
import io.phantomdb.security.AccessStatement.CreateRole;
import io.phantomdb.security.AccessStatement.DropRole;
import io.phantomdb.security.AccessStatement.RoleOptions;
import io.phantomdb.security.AccessStatement.SchemaGrant;
import io.phantomdb.security.AccessStatement.TableGrant;
import io.phantomdb.security.AccessTokens.Kind;
import io.phantomdb.security.AccessTokens.Token;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hand-written parser of the role and privilege statements (Calcite parses none of them), PostgreSQL syntax:
 * <pre>
 *   CREATE {ROLE|USER} name [[WITH] option ...]        option: LOGIN | NOLOGIN | SUPERUSER | NOSUPERUSER
 *   ALTER {ROLE|USER} name [[WITH] option ...]                 | [ENCRYPTED] PASSWORD {'text' | NULL}
 *   DROP {ROLE|USER} [IF EXISTS] name [, ...]
 *   GRANT privileges ON {[TABLE] t [, ...] | ALL TABLES IN SCHEMA public | SCHEMA public} TO role [, ...]
 *   REVOKE privileges ON ... FROM role [, ...] [CASCADE | RESTRICT]
 *   privileges: ALL [PRIVILEGES] | {SELECT|INSERT|UPDATE|DELETE|USAGE|CREATE} [, ...];  role: name | PUBLIC
 * </pre>
 * {@link #parse} answers empty for any other statement, so the caller can try it first on every text.
 */
public final class AccessParser {
    /** Options PostgreSQL has that Phantom-DB does not: named in a clear 0A000 instead of a syntax error. */
    private static final Set<String> UNSUPPORTED_OPTIONS = Set.of("inherit", "noinherit", "createdb", "nocreatedb",
            "createrole", "nocreaterole", "replication", "noreplication", "bypassrls", "nobypassrls", "connection",
            "valid", "in", "role", "admin", "user", "sysid");
    private static final Set<String> UNSUPPORTED_PRIVILEGES = Set.of("truncate", "references", "trigger", "connect",
            "temporary", "temp", "execute", "maintain");

    private final List<Token> tokens;
    private int at;

    private AccessParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** True when {@code sql} is a role or privilege statement (well-formed or not): cheap, no full parse. */
    public static boolean isAccessStatement(String sql) {
        List<Token> t = AccessTokens.split(sql.length() > 64 ? sql.substring(0, 64) : sql);
        return startsAccessStatement(t);
    }

    private static boolean startsAccessStatement(List<Token> t) {
        Token first = t.get(0);
        if (first.is("grant") || first.is("revoke")) {
            return true;
        }
        boolean roleDdl = first.is("create") || first.is("alter") || first.is("drop");
        return roleDdl && t.size() > 1 && (t.get(1).is("role") || t.get(1).is("user")) && !t.get(2).is("mapping");
    }

    /**
     * The statement, or empty when {@code sql} is none of these statements.
     *
     * @throws PhantomSqlException 42601 for a malformed one, 0A000 for PostgreSQL options Phantom-DB lacks
     */
    public static Optional<AccessStatement> parse(String sql) {
        List<Token> tokens = AccessTokens.split(sql);
        if (!startsAccessStatement(tokens)) {
            return Optional.empty();
        }
        AccessParser p = new AccessParser(tokens);
        AccessStatement statement = p.statement();
        p.end();
        return Optional.of(statement);
    }

    private AccessStatement statement() {
        String verb = next().text();
        if (verb.equals("grant") || verb.equals("revoke")) {
            return grant(verb.equals("grant"));
        }
        boolean user = next().is("user");
        if (verb.equals("drop")) {
            boolean ifExists = false;
            if (peek().is("if")) {
                next();
                expect("exists");
                ifExists = true;
            }
            return new DropRole(names(), ifExists);
        }
        String name = name();
        if (peek().is("with")) {
            next();
        }
        RoleOptions options = options();
        return verb.equals("create") ? new CreateRole(name, user, options) : new AlterRole(name, options);
    }

    private RoleOptions options() {
        Boolean login = null;
        Boolean superuser = null;
        boolean passwordGiven = false;
        String password = null;
        while (!atEnd()) {
            Token t = next();
            if (t.is("login") || t.is("nologin")) {
                login = once(login, t.is("login"), t);
            } else if (t.is("superuser") || t.is("nosuperuser")) {
                superuser = once(superuser, t.is("superuser"), t);
            } else if (t.is("password") || t.is("encrypted")) {
                if (t.is("encrypted")) {
                    expect("password");
                }
                if (passwordGiven) {
                    throw conflicting(t);
                }
                passwordGiven = true;
                Token value = next();
                if (value.kind() == Kind.STRING) {
                    password = value.text();
                } else if (!value.is("null")) {
                    throw AccessTokens.syntax(value);
                }
            } else if (t.kind() == Kind.WORD && UNSUPPORTED_OPTIONS.contains(t.text())) {
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "role option " + t.text().toUpperCase()
                        + " is not supported (docs/security.md)", t.position() + 1, null);
            } else {
                throw AccessTokens.syntax(t);
            }
        }
        return new RoleOptions(login, superuser, passwordGiven, password);
    }

    private static Boolean once(Boolean previous, boolean value, Token t) {
        if (previous != null) {
            throw conflicting(t);
        }
        return value;
    }

    private static PhantomSqlException conflicting(Token t) {
        return new PhantomSqlException(SqlState.SYNTAX_ERROR, "conflicting or redundant options", t.position() + 1, null);
    }

    private AccessStatement grant(boolean grant) {
        if (!grant && peek().is("grant")) {
            throw unsupported(peek(), "GRANT OPTION");
        }
        Set<Privilege> privileges = privileges();
        expect("on");
        AccessStatement result;
        if (peek().is("schema")) {
            next();
            String schema = name();
            result = new SchemaGrant(grant, privileges.isEmpty() ? Privilege.SCHEMA : privileges, schema, grantees(grant));
        } else if (peek().is("all")) {
            next();
            expect("tables");
            expect("in");
            expect("schema");
            String schema = name();
            requirePublic(schema);
            result = new TableGrant(grant, tablePrivileges(privileges), List.of(), true, grantees(grant));
        } else {
            if (peek().is("table")) {
                next();
            }
            List<String> tables = new ArrayList<>();
            do {
                tables.add(tableName());
            } while (comma());
            result = new TableGrant(grant, tablePrivileges(privileges), tables, false, grantees(grant));
        }
        return result;
    }

    /** The privileges named; empty for ALL [PRIVILEGES] (its meaning depends on the object kind). */
    private Set<Privilege> privileges() {
        if (peek().is("all")) {
            next();
            if (peek().is("privileges")) {
                next();
            }
            return EnumSet.noneOf(Privilege.class);
        }
        Set<Privilege> out = EnumSet.noneOf(Privilege.class);
        do {
            Token t = next();
            if (t.kind() == Kind.WORD && UNSUPPORTED_PRIVILEGES.contains(t.text())) {
                throw unsupported(t, "privilege " + t.text().toUpperCase());
            }
            Privilege p = t.kind() == Kind.WORD ? privilege(t.text()) : null;
            if (p == null) {
                throw AccessTokens.syntax(t);
            }
            if (peek().kind() == Kind.OTHER && peek().text().equals("(")) {
                throw unsupported(peek(), "column privileges");
            }
            out.add(p);
        } while (comma());
        return out;
    }

    private static Privilege privilege(String word) {
        for (Privilege p : Privilege.values()) {
            if (p.name().equalsIgnoreCase(word)) {
                return p;
            }
        }
        return null;
    }

    private Set<Privilege> tablePrivileges(Set<Privilege> named) {
        if (named.isEmpty()) {
            return Privilege.TABLE;
        }
        for (Privilege p : named) {
            if (!p.onTable()) {
                throw new PhantomSqlException(SqlState.INVALID_GRANT_OPERATION, "invalid privilege type " + p + " for table");
            }
        }
        return named;
    }

    private List<String> grantees(boolean grant) {
        expect(grant ? "to" : "from");
        List<String> out = new ArrayList<>();
        do {
            if (peek().is("group")) {
                next(); // PostgreSQL accepts and ignores GROUP before a role name
            }
            out.add(name());
        } while (comma());
        if (grant && peek().is("with")) {
            throw unsupported(peek(), "WITH GRANT OPTION");
        }
        if (!grant && (peek().is("cascade") || peek().is("restrict"))) {
            next(); // no grant options, so nothing depends on a grant: both mean the same
        }
        return out;
    }

    private String tableName() {
        String first = name();
        if (peek().kind() == Kind.OTHER && peek().text().equals(".")) {
            next();
            requirePublic(first);
            return name();
        }
        return first;
    }

    static void requirePublic(String schema) {
        if (!schema.equals(SecurityStore.SCHEMA)) {
            throw new PhantomSqlException(SqlState.INVALID_SCHEMA_NAME, "schema \"" + schema + "\" does not exist");
        }
    }

    private List<String> names() {
        List<String> out = new ArrayList<>();
        do {
            out.add(name());
        } while (comma());
        return out;
    }

    private String name() {
        Token t = next();
        if (!t.isName()) {
            throw AccessTokens.syntax(t);
        }
        return t.text();
    }

    private boolean comma() {
        if (peek().kind() == Kind.COMMA) {
            next();
            return true;
        }
        return false;
    }

    private void expect(String word) {
        Token t = next();
        if (!t.is(word)) {
            throw AccessTokens.syntax(t);
        }
    }

    private boolean atEnd() {
        return peek().kind() == Kind.EOF || peek().kind() == Kind.SEMICOLON;
    }

    private void end() {
        if (peek().kind() == Kind.SEMICOLON) {
            next();
        }
        if (peek().kind() != Kind.EOF) {
            throw AccessTokens.syntax(peek());
        }
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        Token t = tokens.get(at);
        if (at < tokens.size() - 1) {
            at++;
        }
        return t;
    }

    private static PhantomSqlException unsupported(Token t, String what) {
        return new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, what + " is not supported (docs/security.md)",
                t.position() + 1, null);
    }
}
