package domain

import (
	"strings"
	"testing"
)

// TestTextHygiene: every name and email goes through the same rules; what
// hides, reorders or breaks text is refused with the field named, and what
// people really write is kept (names in NFC, email domains in IDNA ASCII).
func TestTextHygiene(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		email    bool
		want     string // the normalized value when accepted
		wantCode string // "" when accepted
	}{
		// Names people write: kept, in NFC.
		{"plain", "Ada", false, "Ada", ""},
		{"accent composed", "Zoë", false, "Zoë", ""},
		{"accent decomposed becomes NFC", "Zoe\u0308", false, "Zoë", ""},
		{"apostrophe", "O'Brien", false, "O'Brien", ""},
		{"typographic apostrophe", "D’Arcy", false, "D’Arcy", ""},
		{"hyphenated", "Jean-Luc", false, "Jean-Luc", ""},
		{"spaces inside", "Mary Ann", false, "Mary Ann", ""},
		{"trimmed", "  Grace  ", false, "Grace", ""},
		{"Greek", "Αλέξανδρος", false, "Αλέξανδρος", ""},
		{"Cyrillic", "Дмитрий", false, "Дмитрий", ""},
		{"Arabic", "فاطمة", false, "فاطمة", ""},
		{"Hebrew", "נועה", false, "נועה", ""},
		{"Chinese", "王小明", false, "王小明", ""},
		{"Japanese", "さくら", false, "さくら", ""},
		{"Korean", "김민준", false, "김민준", ""},
		{"Devanagari with marks", "अनुष्का", false, "अनुष्का", ""},
		{"Thai", "สมชาย", false, "สมชาย", ""},
		{"emoji", "Ada 🚀", false, "Ada 🚀", ""},
		{"digits", "Team 42", false, "Team 42", ""},
		// Names that hide or reorder text: refused.
		{"right-to-left override", "\u202eevil", false, "", "invalid_name"},
		{"left-to-right embedding", "a\u202ab", false, "", "invalid_name"},
		{"pop directional formatting", "a\u202cb", false, "", "invalid_name"},
		{"first strong isolate", "a\u2068b", false, "", "invalid_name"},
		{"pop directional isolate", "a\u2069b", false, "", "invalid_name"},
		{"right-to-left mark", "a\u200fb", false, "", "invalid_name"},
		{"Arabic letter mark", "a\u061cb", false, "", "invalid_name"},
		{"zero-width space", "Ad\u200ba", false, "", "invalid_name"},
		{"zero-width joiner", "Ad\u200da", false, "", "invalid_name"},
		{"zero-width non-joiner", "Ad\u200ca", false, "", "invalid_name"},
		{"word joiner", "Ad\u2060a", false, "", "invalid_name"},
		{"byte order mark", "\ufeffAda", false, "", "invalid_name"},
		{"soft hyphen", "Ada\u00adLove", false, "", "invalid_name"},
		{"combining grapheme joiner", "A\u034fda", false, "", "invalid_name"},
		{"NUL", "Ada\x00", false, "", "invalid_name"},
		{"tab", "Ada\tLove", false, "", "invalid_name"},
		{"newline", "Ada\nLove", false, "", "invalid_name"},
		{"DEL", "Ada\x7f", false, "", "invalid_name"},
		{"next line (C1)", "Ada\u0085", false, "", "invalid_name"},
		{"C1 control", "Ada\u009b", false, "", "invalid_name"},
		{"line separator", "Ada\u2028Love", false, "", "invalid_name"},
		{"unassigned code point", "Ada\U000e0080", false, "", "invalid_name"},
		{"noncharacter", "Ada\ufffe", false, "", "invalid_name"},
		{"invalid UTF-8", "Ada\xff", false, "", "invalid_name"},
		{"interlinear annotation (format)", "Ada\ufff9", false, "", "invalid_name"},
		{"overlong", strings.Repeat("a", 101), false, "", "invalid_name"},

		// Emails.
		{"email", "grace@example.com", true, "grace@example.com", ""},
		{"email lower-cased and trimmed", " Grace@Example.COM ", true, "grace@example.com", ""},
		{"email fullwidth folded", "ｇrace@example.com", true, "grace@example.com", ""},
		{"email with plus", "grace+roster@example.com", true, "grace+roster@example.com", ""},
		{"email with Unicode local part", "zoë@example.com", true, "zoë@example.com", ""},
		{"email with IDN domain", "anna@bücher.example", true, "anna@xn--bcher-kva.example", ""},
		{"email with upper-case IDN domain", "anna@BÜCHER.example", true, "anna@xn--bcher-kva.example", ""},
		{"email with punycode domain", "anna@xn--bcher-kva.example", true, "anna@xn--bcher-kva.example", ""},
		{"email right-to-left override", "\u202eevil@example.com", true, "", "invalid_email"},
		{"email zero-width space", "gra\u200bce@example.com", true, "", "invalid_email"},
		{"email soft hyphen in domain", "grace@exam\u00adple.com", true, "", "invalid_email"},
		{"email zero-width joiner in domain", "grace@exa\u200dmple.com", true, "", "invalid_email"},
		{"email C1 control", "grace\u0085@example.com", true, "", "invalid_email"},
		{"email bad IDN domain", "grace@-bad-.example", true, "", "invalid_email"},
		{"email domain with a space", "grace@exa mple.com", true, "", "invalid_email"},
		{"email without domain dot", "grace@localhost", true, "", "invalid_email"},
		{"email with display name", "Grace <grace@example.com>", true, "", "invalid_email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			var err error
			if tt.email {
				got, err = NormalizeEmail(tt.in)
			} else {
				got, err = NormalizeName(tt.in, "firstName", false)
			}
			gotCode := ""
			if e := AsError(err); e != nil {
				gotCode = e.Code
				wantField := "firstName"
				if tt.email {
					wantField = "email"
				}
				if e.Field != wantField {
					t.Errorf("field: got %q, want %q", e.Field, wantField)
				}
			} else if err != nil {
				t.Fatalf("got a non-domain error %v", err)
			}
			if gotCode != tt.wantCode || got != tt.want {
				t.Errorf("got %q %q, want %q %q", got, gotCode, tt.want, tt.wantCode)
			}
		})
	}
	if len(tests) < 40 {
		t.Fatalf("the table has %d strings; keep at least 40", len(tests))
	}
}
