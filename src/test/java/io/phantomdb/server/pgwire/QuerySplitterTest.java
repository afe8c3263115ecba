package io.phantomdb.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: a simple query is cut at its top-level semicolons only, as PostgreSQL's lexer cuts it, and command tags
 * name statements as PostgreSQL does. Method: statements with semicolons hidden in every kind of quoting and
 * comment; tags from leading keywords.
 */
class QuerySplitterTest {
    @Test
    void splitsOnlyAtTopLevelSemicolons() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), QuerySplitter.split("SELECT 1; SELECT 2;"));
        assertEquals(List.of("SELECT 'a;b'", "SELECT \"x;y\" FROM t"), QuerySplitter.split("SELECT 'a;b'; SELECT \"x;y\" FROM t"));
        assertEquals(List.of("SELECT 'it''s;'"), QuerySplitter.split("SELECT 'it''s;'"));
        assertEquals(List.of("SELECT E'\\';'"), QuerySplitter.split("SELECT E'\\';'"));
        assertEquals(List.of("SELECT $$a;b$$", "SELECT $tag$ $$ ; $tag$"), QuerySplitter.split("SELECT $$a;b$$; SELECT $tag$ $$ ; $tag$"));
        assertEquals(List.of("SELECT 1 -- ; still a comment", "SELECT 2"), QuerySplitter.split("SELECT 1 -- ; still a comment\n; SELECT 2"));
        assertEquals(List.of("SELECT /* ; /* nested ; */ ; */ 1"), QuerySplitter.split("SELECT /* ; /* nested ; */ ; */ 1"));
        assertEquals(List.of("SELECT $1"), QuerySplitter.split("SELECT $1;"));
    }

    @Test
    void blankAndCommentOnlyStatementsAreDropped() {
        assertEquals(List.of(), QuerySplitter.split("  ;; -- nothing\n /* here */ ;"));
        assertEquals(List.of("SELECT 1"), QuerySplitter.split(";SELECT 1;;"));
    }

    @Test
    void leadingWordsSkipCommentsAndParentheses() {
        assertEquals(List.of("CREATE", "UNIQUE", "INDEX"), CommandTags.leadingWords("/* c */ -- x\n create unique index i", 3));
        assertEquals(List.of("SELECT", "X"), CommandTags.leadingWords("((select x", 2));
    }
}
