/**
 * The reactive Java client (docs/client.md): statements against a remote node over its HTTP interface,
 * returning the embedded API's types - {@code Source<Row, NotUsed>}, Reactive Streams {@code Publisher<Row>},
 * {@code CompletionStage} - with demand carried to the server by TCP flow control on the streamed response.
 *
 * <p>Layer 9 (client): may import the root package (Row, Column), catalog (DataType) and error; never server,
 * cli or anything below catalog. Entry class: {@link io.phantomdb.client.PhantomClient}.
 */
package io.phantomdb.client;
