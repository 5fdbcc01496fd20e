package streams

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// Filter is one event filtering pattern of an event source mapping's
// FilterCriteria, as Lambda applies it to a stream record before batching.
//
// Only the subset of Lambda's pattern syntax that Roster's template uses is
// implemented: a pattern is a JSON object whose keys name fields of the
// record (eventName, userIdentity, dynamodb, ...); an object value descends
// into the field; an array value lists the values of which the field must
// equal one (strings, numbers compared as numbers, booleans, null). A field
// that is an array in the record matches when any of its elements does.
// Content operators (prefix, anything-but, numeric, exists, ...) are refused
// by ParseFilter rather than silently mismatched.
type Filter struct {
	raw  string
	node map[string]any
}

// ParseFilter parses one Lambda filter pattern.
func ParseFilter(pattern string) (Filter, error) {
	var node map[string]any
	dec := json.NewDecoder(strings.NewReader(pattern))
	dec.UseNumber()
	if err := dec.Decode(&node); err != nil {
		return Filter{}, fmt.Errorf("streams: filter pattern %q: %w", pattern, err)
	}
	if node == nil {
		return Filter{}, fmt.Errorf("streams: filter pattern %q: not a JSON object", pattern)
	}
	if err := check(node, ""); err != nil {
		return Filter{}, fmt.Errorf("streams: filter pattern %q: %w", pattern, err)
	}
	return Filter{raw: pattern, node: node}, nil
}

// String returns the pattern as written.
func (f Filter) String() string { return f.raw }

func check(node map[string]any, path string) error {
	keys := make([]string, 0, len(node))
	for k := range node {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := node[k].(type) {
		case map[string]any:
			if err := check(v, path+k+"."); err != nil {
				return err
			}
		case []any:
			if len(v) == 0 {
				return fmt.Errorf("%s%s: an empty list matches nothing", path, k)
			}
			for _, e := range v {
				switch e.(type) {
				case string, json.Number, bool, nil:
				case map[string]any:
					return fmt.Errorf("%s%s: content filter %v is not supported locally (only exact values)", path, k, e)
				default:
					return fmt.Errorf("%s%s: unsupported value %v", path, k, e)
				}
			}
		default:
			return fmt.Errorf("%s%s: a pattern value must be an object or a list, got %v", path, k, v)
		}
	}
	return nil
}

// Match reports whether a record, in the JSON form Lambda gives the
// function, matches the pattern.
func (f Filter) Match(record []byte) bool {
	var doc any
	dec := json.NewDecoder(strings.NewReader(string(record)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return false
	}
	return matchObject(f.node, doc)
}

func matchObject(pattern map[string]any, doc any) bool {
	obj, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	for k, p := range pattern {
		field, present := obj[k]
		if !present {
			return false
		}
		switch p := p.(type) {
		case map[string]any:
			if !matchObject(p, field) {
				return false
			}
		case []any:
			if !matchValues(p, field) {
				return false
			}
		}
	}
	return true
}

// matchValues reports whether the field, or any element of it when it is
// an array, equals one of the allowed values.
func matchValues(allowed []any, field any) bool {
	if list, ok := field.([]any); ok {
		for _, e := range list {
			if matchValues(allowed, e) {
				return true
			}
		}
		return false
	}
	for _, a := range allowed {
		if equal(a, field) {
			return true
		}
	}
	return false
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		s, ok := b.(string)
		return ok && s == a
	case bool:
		v, ok := b.(bool)
		return ok && v == a
	case json.Number:
		n, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, ok1 := new(big.Float).SetString(a.String())
		y, ok2 := new(big.Float).SetString(n.String())
		return ok1 && ok2 && x.Cmp(y) == 0
	}
	return false
}

// Filters is a FilterCriteria: a record passes when any filter matches it,
// and every record passes when there are none.
type Filters []Filter

// Match reports whether the record passes the criteria.
func (fs Filters) Match(record []byte) bool {
	if len(fs) == 0 {
		return true
	}
	for _, f := range fs {
		if f.Match(record) {
			return true
		}
	}
	return false
}
