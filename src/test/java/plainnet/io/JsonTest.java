package plainnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import plainnet.Rng;

class JsonTest {

    @Test
    void parse_allValueKinds_mapsToJavaTypes() throws FormatException {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, 0.0], \"b\": \"x\\ny\\u00e9\", \"c\": true, \"d\": false, \"e\": null, \"f\": {}} ", "t.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m).containsOnlyKeys("a", "b", "c", "d", "e", "f");
        assertThat(m.keySet()).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(m.get("a")).isEqualTo(List.of(1.0, -2500.0, 0.0));
        assertThat(m.get("b")).isEqualTo("x\nyé");
        assertThat(m.get("c")).isEqualTo(Boolean.TRUE);
        assertThat(m.get("d")).isEqualTo(Boolean.FALSE);
        assertThat(m.get("e")).isNull();
        assertThat((Map<?, ?>) m.get("f")).isEmpty();
    }

    @Test
    void writeThenParse_doubles_sameBits() throws FormatException {
        Rng rng = new Rng(3);
        List<Object> values = new ArrayList<>();
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 0.1, 1.0 / 3.0, 1e-310, 123456789.123456789};
        for (double d : special) values.add(d);
        for (int j = 0; j < 2000; j++) {
            double d = Double.longBitsToDouble(rng.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) values.add(d);
        }
        Object back = Json.parse(Json.write(values), "t.json");
        List<?> list = (List<?>) back;
        assertThat(list).hasSize(values.size());
        for (int j = 0; j < values.size(); j++) {
            assertThat(Double.doubleToRawLongBits((Double) list.get(j)))
                .as("value %d = %s", j, values.get(j))
                .isEqualTo(Double.doubleToRawLongBits((Double) values.get(j)));
        }
    }

    @Test
    void write_nestedStructure_parsesBackEqual() throws FormatException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "plainnet-model");
        m.put("W", new double[][] {{1.5, -2.0}, {3.0, 4.25}});
        m.put("b", new double[] {0.5, -0.5});
        m.put("names", List.of("a\"b", "c\\d"));
        m.put("n", 3);
        Object back = Json.parse(Json.write(m), "t.json");
        assertThat(back.toString()).isEqualTo("{format=plainnet-model, W=[[1.5, -2.0], [3.0, 4.25]], b=[0.5, -0.5], names=[a\"b, c\\d], n=3.0}");
    }

    @Test
    void write_nonFinite_throwsNamingValue() {
        assertThatThrownBy(() -> Json.write(new double[] {1.0, Double.NaN}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated object       | {\"a\": 1                 | t.json:1:8: expected ',' or '}' in an object, found the end of the file",
        "truncated array        | [1, 2                     | t.json:1:6: expected ',' or ']' in an array, found the end of the file",
        "NaN literal            | [NaN]                     | t.json:1:2: expected a value (object, array, string, number, true, false or null), found 'NaN'",
        "Infinity literal       | [-Infinity]               | t.json:1:3: expected a digit in a number, found 'Infinity'",
        "huge number            | [1e400]                   | t.json:1:2: expected a number within the double range",
        "trailing garbage       | {} x                      | t.json:1:4: expected the end of the file after the top-level value, found 'x'",
        "duplicate key          | {\"a\": 1, \"a\": 2}      | t.json:1:10: expected each key once in an object, found the key \"a\" again",
        "trailing comma         | [1, 2,]                   | t.json:1:7: expected a value",
        "leading zero           | [012]                     | t.json:1:3: expected no leading zero in a number, found 01",
        "bad escape             | [\"a\\x\"]                | t.json:1:4: expected one of",
        "unquoted key           | {a: 1}                    | t.json:1:2: expected a string key, found 'a'",
        "empty text             | ''                        | t.json:1:1: expected a value, found the end of the file",
        "missing colon          | {\"a\" 1}                 | t.json:1:6: expected ':' after the key \"a\", found '1'",
        "unterminated string    | [\"abc                    | t.json:1:6: expected '\"' to close the string, found the end of the file",
        "non-ASCII hex digits   | [\"\\u００４１\"]         | t.json:1:5: expected 4 hex digits after \\u",
    })
    void parse_malformed_throwsWithPlace(String name, String text, String message) {
        assertThatThrownBy(() -> Json.parse(text, "t.json"))
            .isInstanceOf(FormatException.class).hasMessageStartingWith(message);
    }

    /**
     * Integers are read exactly or refused. The doubles near 2^53 = 9007199254740992 are spaced 1
     * below it and 2 above it, so 9007199254740993 lies halfway between 2^53 and 2^53 + 2 and
     * rounds (to even) to 2^53; 9007199254740991.4 rounds to 9007199254740991; 1.00000000000000001
     * lies within half an ulp (1.1e−16) of 1; 10^23 = 2^23·5^23 needs 5^23 ≈ 1.2e16 > 2^53 in the
     * significand, so no double holds it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2^53 + 1              | [9007199254740993]        | 9007199254740992",
        "-(2^53 + 1)           | [1, -9007199254740993]    | -9007199254740992",
        "fraction to whole     | [9007199254740991.4]      | 9007199254740991",
        "exponent to 2^53      | [9.007199254740993e15]    | 9007199254740992",
        "17 digits to 1        | [1.00000000000000001]     | 1",
        "10^23 as an integer   | [100000000000000000000000] | 99999999999999991611392",
    })
    void parse_integerADoubleDoesNotHold_rejectedNamingWhatItWouldRead(String name, String text, String readAs) {
        assertThatThrownBy(() -> Json.parse(text, "t.json"))
            .isInstanceOf(FormatException.class)
            .hasMessageStartingWith("t.json:1:" + (text.indexOf(", ") < 0 ? 2 : text.indexOf(", ") + 3) + ": expected a number that a double holds exactly")
            .hasMessageEndingWith(", which would read as " + readAs);
    }

    @Test
    void parse_exactIntegersAndRoundedFractions_accepted() throws FormatException {
        // 2^53 and 2^53 − 1 are doubles; 0.1 and 0.30000000000000001 are not whole and round as
        // usual; 1e23 and 1.2345678901234567e29 are beyond 2^53 in exponent form, which rounds too.
        Object v = Json.parse("[9007199254740992, -9007199254740991, 9007199254740991.0, 0.1, 0.30000000000000001, 1e23, 1.2345678901234567e29, 7e0]", "t.json");
        assertThat(v).isEqualTo(List.of(0x1p53, -(0x1p53 - 1), 0x1p53 - 1, 0.1, 0.3, 1e23, 1.2345678901234567e29, 7.0));
    }

    /**
     * A zero is 0 whatever its exponent: 0.0e4999999523447794 is a valid JSON number (its exponent
     * does not fit an int, and 10 to its power is no number a computer holds) and denotes exactly 0.
     */
    @Test
    void parse_zeroWithHugeExponent_readsZero() throws FormatException {
        Object v = Json.parse("[0.0e4999999523447794, -0e-99999999999999999999999, 0.000000000000000000000e+5]", "t.json");
        assertThat(v).isEqualTo(List.of(0.0, -0.0, 0.0));
        assertThat(Double.doubleToRawLongBits((Double) ((List<?>) v).get(1))).as("-0 keeps its sign").isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    /**
     * A nonzero literal that would read as 0 is refused as one beyond the range is: 1e-400 and
     * 2e-324 lie below half the smallest double (4.9e-324 / 2 ≈ 2.47e-324); 3e-324 lies above it
     * and reads as 4.9e-324, a rounding like any other.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "short             | [1e-400]                           | t.json:1:2",
        "long              | [1.0000000000000000000e-400]       | t.json:1:2",
        "huge exponent     | [5, 7e-99999999999999999999999]    | t.json:1:5",
        "just below half   | [2e-324]                           | t.json:1:2",
    })
    void parse_nonzeroThatReadsAsZero_rejected(String name, String text, String place) {
        assertThatThrownBy(() -> Json.parse(text, "t.json"))
            .isInstanceOf(FormatException.class)
            .hasMessageStartingWith(place + ": expected 0 or a number that rounds to a nonzero double")
            .hasMessageEndingWith(", which would read as 0");
    }

    @Test
    void parse_belowSmallestDoubleButAboveHalf_roundsToIt() throws FormatException {
        assertThat(Json.parse("[3e-324]", "t.json")).isEqualTo(List.of(Double.MIN_VALUE));
    }

    /**
     * A whole number written with n digits: 1 followed by n zeros and the exponent −n is exactly
     * 1, and 1 followed by n − 1 zeros, a 1 and the exponent −n is 1 + 10^−n, which reads as 1 and
     * so is refused by the integer rule. With a big-number parse of the literal these took time
     * growing with n² (55 s at 2M digits); the test suite's time is the check that they no longer do.
     */
    @Test
    void parse_wholeNumberOfMillionsOfDigits_readExactlyOrRefused() throws FormatException {
        int n = 2_000_000;
        assertThat(Json.parse("[1" + "0".repeat(n) + "e-" + n + "]", "t.json")).isEqualTo(List.of(1.0));
        assertThat(Json.parse("[1." + "0".repeat(n) + "]", "t.json")).isEqualTo(List.of(1.0));
        String offByTenToTheMinusN = "1" + "0".repeat(n / 2 - 1) + "1e-" + n / 2;
        assertThatThrownBy(() -> Json.parse("{\"a\":\n  " + offByTenToTheMinusN + "}", "t.json"))
            .isInstanceOf(FormatException.class)
            .hasMessage("t.json:2:3: expected a number that a double holds exactly (whole numbers up to 2^53 = 9007199254740992), found "
                + offByTenToTheMinusN.substring(0, 20) + "… (a number of " + offByTenToTheMinusN.length() + " characters), which would read as 1");
    }

    /** denotes against BigDecimal's exact comparison, on literals around whole numbers and zeros. */
    @Test
    void denotes_sameAsBigDecimalComparison() {
        String[] literals = {"0", "-0", "0.0", "0e5", "1", "1.0", "10e-1", "100e-2", "0.1e1", "0.01e2", "1.5", "15e-1", "9007199254740993",
            "9007199254740992", "9007199254740992.0", "900719925474099.2e1", "1e23", "1e22", "12345678901234567890", "-7.000", "-70e-1",
            "0.30000000000000001", "1.7976931348623157e308", "4.9e-324", "4.9406564584124654e-324", "5e-1", "0.5", "0.50000000000000000001"};
        for (String literal : literals) {
            double v = Double.parseDouble(literal);
            boolean expected = new java.math.BigDecimal(literal).compareTo(new java.math.BigDecimal(v)) == 0;
            assertThat(Json.denotes(literal, v)).as(literal).isEqualTo(expected);
        }
    }

    @Test
    void parse_errorOnLaterLine_namesLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"b\": tru\n}", "m.json"))
            .isInstanceOf(FormatException.class)
            .hasMessage("m.json:3:8: expected a value (object, array, string, number, true, false or null), found 'tru'");
    }

    @Test
    void parse_controlCharacterInString_rejected() {
        assertThatThrownBy(() -> Json.parse("[\"a\tb\"]", "t.json"))
            .isInstanceOf(FormatException.class).hasMessageContaining("control character U+0009");
    }

    @Test
    void parse_nestingAtLimit_acceptedAndBeyond_rejected() throws FormatException {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok, "t.json")).isInstanceOf(List.class);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(deep, "t.json"))
            .isInstanceOf(FormatException.class).hasMessageContaining("expected nesting of at most 64");
        String veryDeep = "[".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(veryDeep, "t.json")).isInstanceOf(FormatException.class);
    }
}
