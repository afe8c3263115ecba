/**
 * Calcite front end: parsing, validation against the catalog, conversion to logical relational algebra, and
 * the catalog presented as Calcite tables. May import exec, catalog and below. Entry:
 * {@link io.phantomdb.sql.frontend.SqlFrontEnd}.
 */
package io.phantomdb.sql.frontend;
