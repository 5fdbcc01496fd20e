package store

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"roster/shared/domain"
)

// The member search index: for every search key of a member (SearchKeys),
// an item PK=ACCOUNT#<id>#SEARCH#<status>, SK=<key>#<userId>. A search is
// one Query with begins_with on SK in the partition of the status listed,
// reading only entries that match, never the whole account nor members of
// another status. The entries are written and deleted in the same
// transaction as the membership they describe.
func searchPK(accountID string, status domain.MemberStatus) string {
	return "ACCOUNT#" + accountID + "#SEARCH#" + string(status)
}

// MaxSearchLength bounds a search string.
const MaxSearchLength = 100

// Search key bounds. A fragment of a name is found from minFragment
// characters on (the suffixes of each name word); a search of two or more
// terms, the longest of at least minFragment characters, queries the pair
// keys of the member's first maxPairWords name words, whose first word is
// cut to minFragment or pairPrefix characters.
const (
	minFragment  = 3
	maxPairWords = 4
	pairPrefix   = 4
)

// SearchWords returns the words a member is found by: each word of the first
// and last name, the email, and the parts of the email's local part and
// domain, lower-cased and accent-folded, deduplicated and sorted.
func SearchWords(first, last, email string) []string {
	set := map[string]bool{}
	for _, w := range nameWords(first, last) {
		set[w] = true
	}
	add := func(s string) {
		if s = FoldSearch(s); s != "" {
			set[s] = true
		}
	}
	if email != "" {
		add(email)
		local, domainPart, _ := strings.Cut(email, "@")
		for _, w := range strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' }) {
			add(w)
		}
		add(domainPart)
	}
	return sortedKeys(set)
}

// nameWords returns the folded words of a member's names, in order.
func nameWords(first, last string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(first+" "+last, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '\'' }) {
		if w = FoldSearch(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// pairMark starts the pair keys, so that a search of one term, which never
// holds it, reads none of them.
const pairMark = "\x1f"

// SearchKeys returns every key a member's search entries are written
// under, sorted: the SearchWords (a search term matches them by prefix);
// each name word's suffixes of minFragment characters or more, so that
// "oppe" finds Hopper; and, for each ordered pair of distinct name words
// (a, b), pairMark, a cut to minFragment and to pairPrefix characters, a
// space and b,
// so that a search of two terms ("grace hop") reads only the members who
// match both. A key that begins another of the member's keys is left out:
// every search it would answer, the longer key answers, and one entry
// fewer matches a prefix of both.
func SearchKeys(first, last, email string) []string {
	set := map[string]bool{}
	for _, w := range SearchWords(first, last, email) {
		set[w] = true
	}
	names := nameWords(first, last)
	for _, w := range names {
		r := []rune(w)
		for i := 1; len(r)-i >= minFragment; i++ {
			set[string(r[i:])] = true
		}
	}
	if len(names) > maxPairWords {
		names = names[:maxPairWords]
	}
	for i, a := range names {
		for j, b := range names {
			if i == j || a == b {
				continue
			}
			r := []rune(a)
			for k := min(minFragment, len(r)); k <= min(pairPrefix, len(r)); k++ {
				set[pairMark+string(r[:k])+" "+b] = true
			}
		}
	}
	keys := sortedKeys(set)
	// Sorted, a key that begins another is followed by one it begins.
	out := keys[:0]
	for i, k := range keys {
		if i+1 < len(keys) && strings.HasPrefix(keys[i+1], k) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// searchPrefix returns the key prefix a search of the folded terms
// queries: the term itself for one; else the pair key of the two longest
// (the longer first, cut to pairPrefix characters), whose entries name only
// members with a name word starting with each; or, when no term has
// minFragment characters, the longest term. The other terms are checked on
// the entries.
func searchPrefix(terms []string) string {
	byLength := slices.Clone(terms)
	slices.SortStableFunc(byLength, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	a := []rune(byLength[0])
	if len(terms) == 1 || len(a) < minFragment {
		return byLength[0]
	}
	return pairMark + string(a[:min(pairPrefix, len(a))]) + " " + byLength[1]
}

func sortedKeys(set map[string]bool) []string {
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

func searchKey(accountID string, status domain.MemberStatus, word, userID string) item {
	return key(searchPK(accountID, status), word+"#"+userID)
}

// searchItem is one search entry: the key and the member it finds, with
// the member's names and email, from which a search recomputes the
// member's keys (SearchKeys) to tell, without reading the membership,
// whether the entry is the member's first match of the prefix queried
// (pages never repeat a member) and whether the member matches every term.
func searchItem(m domain.Membership, word string) item {
	it := searchKey(m.AccountID, m.Status, word, m.UserID)
	it[AttrType] = str("search")
	it["userId"] = str(m.UserID)
	it["firstName"] = str(m.FirstName)
	it["lastName"] = str(m.LastName)
	it["email"] = str(m.Email)
	return it
}
