/**
 * The codec server: Temporal's remote codec protocol ({@code POST /codec/decode}, {@code POST /codec/encode}) over
 * graphsync's {@code PayloadCodec}, so that the Web UI and the {@code temporal} CLI show encrypted payloads decoded to
 * an authorised operator.
 */
package io.graphsync.app.codec;
