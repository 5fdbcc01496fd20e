package domain

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Text hygiene, in one place for every name, email, account and project
// name: characters that hide, reorder or break what people read are
// refused rather than silently removed, so that what is stored is what the
// person typed and saw. Names are normalized to NFC (golang.org/x/text)
// and email domains go through IDNA (golang.org/x/net/idna), in email.go.

// unsafeRune says why r may not appear in a name or an address, or "".
func unsafeRune(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "is not valid UTF-8"
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return "contains a control character"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		// Embeddings, overrides, isolates and direction marks reorder
		// what is displayed ("\u202eevil@example.com").
		return "contains a character that changes the direction of text"
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff, r == 0x00ad, r == 0x180e, r == 0x034f:
		return "contains an invisible character"
	case r == 0x2028, r == 0x2029:
		return "contains a line break"
	case !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Co):
		// Unassigned (Cn), surrogates (Cs) and the remaining format
		// characters (Cf): nothing a person means to type in a name.
		return "contains a character that is not a letter, digit, mark, punctuation, symbol or space"
	}
	return ""
}

// CheckText returns an invalid error with code on field when s holds a
// character unsafeRune refuses, naming it (U+202E), or nil.
func CheckText(s string, code Code, field string) error {
	if !utf8.ValidString(s) {
		return code.Field(field, "This text is not valid UTF-8.")
	}
	for _, r := range s {
		if why := unsafeRune(r); why != "" {
			return code.Field(field, fmt.Sprintf("This text %s (U+%04X).", why, r))
		}
	}
	return nil
}
