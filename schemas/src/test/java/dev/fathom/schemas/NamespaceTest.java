package dev.fathom.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamespaceTest {
    static Stream<String> validNames() {
        return Stream.of("a", "Z", "0", "db.v1-x_y", "...", ".hidden", "-", "x".repeat(128));
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of(null, "Invalid namespace null: a namespace is required but was null"),
                Arguments.of("", "Invalid namespace '': must have 1 to 128 characters, got none"),
                Arguments.of(".", "Invalid namespace '.': '.' and '..' are reserved"),
                Arguments.of("..", "Invalid namespace '..': '.' and '..' are reserved"),
                Arguments.of("../x", "Invalid namespace '../x': character '/' (U+002F) at index 2 is not allowed;"
                        + " use only A-Z a-z 0-9 . _ -"),
                Arguments.of("a/b", "Invalid namespace 'a/b': character '/' (U+002F) at index 1 is not allowed"),
                Arguments.of("x".repeat(129), "Invalid namespace '" + "x".repeat(64) + "...': must have at most 128"
                        + " characters, got 129"),
                Arguments.of("café", "Invalid namespace 'caf\\u00e9': character '\\u00e9' (U+00E9) at index 3"),
                Arguments.of("my db", "Invalid namespace 'my db': character ' ' (U+0020) at index 2"),
                Arguments.of("a\nb", "Invalid namespace 'a\\u000ab': character '\\u000a' (U+000A) at index 1"),
                Arguments.of("it's", "Invalid namespace 'it\\'s': character '\\'' (U+0027) at index 2"),
                Arguments.of("a~", "Invalid namespace 'a~': character '~' (U+007E) at index 1"));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void shouldAcceptValidName(String raw) {
        assertTrue(Namespace.isValid(raw), raw);
        Namespace namespace = Namespace.of(raw);
        assertEquals(raw, namespace.value());
        assertEquals(raw, namespace.toString());
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void shouldRejectInvalidNameWithMessageNamingInputAndRule(String raw, String expectedMessageStart) {
        assertFalse(Namespace.isValid(raw));
        InvalidNamespaceException e = assertThrows(InvalidNamespaceException.class, () -> Namespace.of(raw));
        assertTrue(e.getMessage().startsWith(expectedMessageStart),
                () -> "message was: " + e.getMessage() + "\nexpected start: " + expectedMessageStart);
        assertThrows(InvalidNamespaceException.class, () -> new Namespace(raw), "the constructor validates too");
    }

    @Test
    void shouldBeAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> Namespace.of(".."));
    }

    @Test
    void shouldCompareByValue() {
        assertEquals(Namespace.of("db1"), Namespace.of("db1"));
    }
}
