/**
 * The DDL parser: CREATE/DROP TABLE, INDEX and VIEW text to sealed {@link io.phantomdb.sql.ddl.DdlStatement}
 * records (hand-written tokenizer and recursive descent; Calcite parses everything else). May import catalog
 * (for {@link io.phantomdb.catalog.DataType}) and the error leaf; entry: {@link io.phantomdb.sql.ddl.DdlParser}.
 */
package io.phantomdb.sql.ddl;
