package plainnet.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The protobuf writer against bytes computed by hand from the wire format (SPEC.md, "ONNX
 * export"): a varint is 7 bits a byte, lowest group first, 0x80 on every byte but the last.
 */
class ProtobufTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int j = 0; j < b.length; j++) out[j] = (byte) b[j];
        return out;
    }

    private static byte[] varint(long v) {
        Protobuf p = new Protobuf();
        p.varint(v);
        return p.toByteArray();
    }

    @Test
    void varint_smallNumbers_oneByte() {
        assertThat(varint(0)).containsExactly(bytes(0x00));
        assertThat(varint(1)).containsExactly(bytes(0x01));
        assertThat(varint(127)).containsExactly(bytes(0x7f));
    }

    @Test
    void varint_multiByte_lowGroupFirst() {
        // 128 = 1·128 + 0          → 0x80 0x01
        assertThat(varint(128)).containsExactly(bytes(0x80, 0x01));
        // 150 = 1·128 + 22 (0x16)  → 0x96 0x01
        assertThat(varint(150)).containsExactly(bytes(0x96, 0x01));
        // 300 = 2·128 + 44 (0x2c)  → 0xac 0x02
        assertThat(varint(300)).containsExactly(bytes(0xac, 0x02));
        // 2^32 = 4·(2^7)^4: four zero groups with the continuation bit, then 0x10
        assertThat(varint(1L << 32)).containsExactly(bytes(0x80, 0x80, 0x80, 0x80, 0x10));
        // Long.MAX_VALUE: 63 one bits = nine groups of 7
        assertThat(varint(Long.MAX_VALUE)).containsExactly(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f));
    }

    @Test
    void varint_negative_tenBytesOfTwosComplement() {
        // −1 = 64 one bits: nine groups 0x7f with the continuation bit, then the last bit 0x01
        assertThat(varint(-1)).containsExactly(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
        // −2 = ...1110: the first group is 0x7e
        assertThat(varint(-2)).containsExactly(bytes(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
        // Long.MIN_VALUE: only bit 63 set, which is the 10th group's lowest bit
        assertThat(varint(Long.MIN_VALUE)).containsExactly(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
    }

    @Test
    void int64_tagIsFieldTimesEightPlusWireType() {
        Protobuf p = new Protobuf();
        p.int64(1, 150); // tag 1·8 + 0 = 0x08
        p.int64(20, 2);  // tag 20·8 + 0 = 160 → varint 0xa0 0x01
        assertThat(p.toByteArray()).containsExactly(bytes(0x08, 0x96, 0x01, 0xa0, 0x01, 0x02));
    }

    @Test
    void string_lengthDelimited_utf8() {
        Protobuf p = new Protobuf();
        p.string(2, "testing"); // tag 2·8 + 2 = 0x12, length 7, the ASCII bytes
        p.string(12, "é");      // tag 12·8 + 2 = 0x62, length 2, UTF-8 0xc3 0xa9
        assertThat(p.toByteArray()).containsExactly(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g', 0x62, 0x02, 0xc3, 0xa9));
    }

    @Test
    void message_embedsLengthThenBytes() {
        Protobuf inner = new Protobuf();
        inner.int64(1, 150);
        Protobuf outer = new Protobuf();
        outer.message(3, inner); // tag 3·8 + 2 = 0x1a, length 3
        assertThat(outer.toByteArray()).containsExactly(bytes(0x1a, 0x03, 0x08, 0x96, 0x01));
    }

    @Test
    void bytes_longerThan127_twoByteLength() {
        Protobuf p = new Protobuf();
        p.bytes(9, new byte[200]); // tag 9·8 + 2 = 0x4a, length 200 = 1·128 + 72 → 0xc8 0x01
        byte[] out = p.toByteArray();
        assertThat(out).hasSize(3 + 200);
        assertThat(out[0]).isEqualTo((byte) 0x4a);
        assertThat(out[1]).isEqualTo((byte) 0xc8);
        assertThat(out[2]).isEqualTo((byte) 0x01);
    }

    @Test
    void float32_fixed32LittleEndian() {
        Protobuf p = new Protobuf();
        p.float32(2, 1.0f);   // tag 2·8 + 5 = 0x15; 1.0f = 0x3f800000
        p.float32(2, -0.1f);  // −0.1f = 0xbdcccccd (sign 1, exponent 123, mantissa 0x4ccccd)
        assertThat(p.toByteArray()).containsExactly(bytes(0x15, 0x00, 0x00, 0x80, 0x3f, 0x15, 0xcd, 0xcc, 0xcc, 0xbd));
    }
}
