package plainnet.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A protocol-buffer message being written: the wire format of SPEC.md, section "ONNX export",
 * with only what the ONNX export needs. A message is a sequence of fields, each a tag
 * (field number · 8 + wire type, as a varint) followed by its value:
 *
 * <pre>
 *   wire type 0  varint             int64, int32, enum: 7 bits a byte, low bits first, the high bit
 *                                   set on every byte but the last; a negative number is its
 *                                   64-bit two's complement, so always 10 bytes
 *   wire type 2  length-delimited   bytes, string (UTF-8), an embedded message: a varint length, then the bytes
 *   wire type 5  fixed32            float: the 4 bytes of its IEEE 754 bits, little-endian
 * </pre>
 *
 * An embedded message is written into its own {@code Protobuf} first and then added with
 * {@link #message}, so its length is known when the field is written.
 */
final class Protobuf {

    static final int VARINT = 0, LENGTH_DELIMITED = 2, FIXED32 = 5;

    private byte[] buf = new byte[64];
    private int size = 0;

    private void put(int b) {
        if (size == buf.length) buf = Arrays.copyOf(buf, 2 * buf.length);
        buf[size++] = (byte) b;
    }

    private void put(byte[] b) {
        if (buf.length - size < b.length) buf = Arrays.copyOf(buf, Math.max(2 * buf.length, size + b.length));
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** The unsigned varint of v's 64 bits: 7 bits at a time, lowest first, 0x80 on all but the last byte. */
    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            put((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        put((int) v);
    }

    /** The key of a field: field · 8 + wire type, as a varint. */
    void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    /** An int64, int32 or enum field (wire type 0). */
    void int64(int field, long v) {
        tag(field, VARINT);
        varint(v);
    }

    /** A bytes field (wire type 2): the length, then the bytes. */
    void bytes(int field, byte[] b) {
        tag(field, LENGTH_DELIMITED);
        varint(b.length);
        put(b);
    }

    /** A string field: its UTF-8 bytes. */
    void string(int field, String s) {
        bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message field: the length of m, then m's bytes. */
    void message(int field, Protobuf m) {
        bytes(field, m.toByteArray());
    }

    /** A float field (wire type 5): the IEEE 754 bits of v, little-endian. */
    void float32(int field, float v) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(v);
        for (int j = 0; j < 4; j++) put(bits >>> (8 * j));
    }

    /** The bytes written so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
