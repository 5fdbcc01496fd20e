package store

import (
	"slices"
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

// putMembership adds a membership and its search entries to tx. prev, when
// not nil, is the membership as it was: its entries that no longer apply
// are deleted, and when the member's words or status changed every entry
// is rewritten, since each carries the member's whole word list and status.
// c is the membership write's condition.
func (s *Store) putMembership(tx *Tx, m domain.Membership, prev *domain.Membership, c cond) {
	it, err := membershipItem(m)
	if err != nil {
		tx.err = err
		return
	}
	tx.put(it, c)
	words := SearchWords(m.FirstName, m.LastName, m.Email)
	if prev != nil {
		old := SearchWords(prev.FirstName, prev.LastName, prev.Email)
		if slices.Equal(old, words) && prev.Status == m.Status {
			return
		}
		for _, w := range old {
			if !slices.Contains(words, w) {
				tx.delete(searchKey(m.AccountID, w, m.UserID), cond{})
			}
		}
	}
	for _, w := range words {
		tx.put(searchItem(m, w, words), cond{})
	}
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

// deleteMembership adds the removal of a membership and its search entries
// to tx, on condition c.
func (s *Store) deleteMembership(tx *Tx, m domain.Membership, c cond) {
	tx.delete(memberKey(m.AccountID, m.UserID), c)
	for _, w := range SearchWords(m.FirstName, m.LastName, m.Email) {
		tx.delete(searchKey(m.AccountID, w, m.UserID), cond{})
	}
}
