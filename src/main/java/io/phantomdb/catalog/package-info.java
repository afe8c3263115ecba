/**
 * The catalog: definitions of tables, columns, indexes and views, their data types and the encoding of rows
 * and keys, stored in the system partition. May import partition, txn.mvcc, storage and the leaves.
 */
package io.phantomdb.catalog;
