package store

import (
	"sort"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/text/unicode/norm"

	"roster/shared/domain"
)

// The member search index: for every word of a member's names and email, an
// item PK=ACCOUNT#<id>#SEARCH, SK=<word>#<userId>. A prefix search is one
// Query with begins_with on SK, reading only the entries that match, never
// the whole account. The entries are written and deleted in the same
// transaction as the membership they describe.
func searchPK(accountID string) string { return "ACCOUNT#" + accountID + "#SEARCH" }

// MaxSearchLength bounds a search string.
const MaxSearchLength = 100

// SearchWords returns the words a member is found by: each word of the first
// and last name, the email, and the parts of the email's local part and
// domain, lower-cased and accent-folded, deduplicated and sorted.
func SearchWords(first, last, email string) []string {
	set := map[string]bool{}
	add := func(s string) {
		if s = FoldSearch(s); s != "" {
			set[s] = true
		}
	}
	for _, w := range strings.FieldsFunc(first+" "+last, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '\'' }) {
		add(w)
	}
	if email != "" {
		add(email)
		local, domainPart, _ := strings.Cut(email, "@")
		for _, w := range strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' }) {
			add(w)
		}
		add(domainPart)
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// FoldSearch lower-cases s and strips accents (NFKD without combining
// marks), so that "José" is found by "jose".
func FoldSearch(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.TrimSpace(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func searchKey(accountID, word, userID string) item {
	return key(searchPK(accountID), word+"#"+userID)
}

// searchItem is one search entry: the word and the member it finds, with
// all of the member's words and the member's status, so that a search can
// tell, without reading the membership, whether an entry is the member's
// first match of a prefix, whether the member matches every word of the
// search, and whether the member is in the list searched.
func searchItem(m domain.Membership, word string, words []string) item {
	it := searchKey(m.AccountID, word, m.UserID)
	it[AttrType] = str("search")
	it["userId"] = str(m.UserID)
	it[attrWords] = &types.AttributeValueMemberL{Value: wordList(words)}
	it[attrStatus] = str(string(m.Status))
	return it
}

// Attributes of a search entry: its member's words and status.
const (
	attrWords  = "words"
	attrStatus = "status"
)

func wordList(words []string) []types.AttributeValue {
	out := make([]types.AttributeValue, len(words))
	for i, w := range words {
		out[i] = str(w)
	}
	return out
}
