package history

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"roster/shared/domain"
)

// Item is one event as the history API shows it: the stored event with the
// readable lines of what it changed.
type Item struct {
	ID        string             `json:"id"`
	At        string             `json:"at"`
	Actor     domain.EventActor  `json:"actor"`
	Action    string             `json:"action"`
	Target    domain.EventTarget `json:"target"`
	Before    any                `json:"before,omitempty"`
	After     any                `json:"after,omitempty"`
	Changes   []string           `json:"changes"`
	RequestID string             `json:"requestId,omitempty"`
	SourceIP  string             `json:"sourceIp,omitempty"`
	UserAgent string             `json:"userAgent,omitempty"`
}

// ItemOf returns the API form of an event, its changes named with the
// catalog's labels.
func ItemOf(ev domain.AuditEvent, cat *domain.Catalog) Item {
	return Item{
		ID:        ev.ID,
		At:        ev.At.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Actor:     ev.Actor,
		Action:    ev.Action,
		Target:    ev.Target,
		Before:    ev.Before,
		After:     ev.After,
		Changes:   Changes(ev.Before, ev.After, cat),
		RequestID: ev.RequestID,
		SourceIP:  ev.SourceIP,
		UserAgent: ev.UserAgent,
	}
}

// ignored are fields of before/after images that are bookkeeping, not
// something a person changed. Any other field named like an id (ownerId,
// inviterId, ...) is skipped too: the event's target and actor name who is
// concerned, and an internal key means nothing to a reader.
var ignored = map[string]bool{
	"version": true, "updatedAt": true, "lastActiveAt": true, "lastLoginAt": true,
	"tokenHash": true, "accountId": true, "userId": true, "id": true,
	"invitationId": true, "inviteId": true,
}

// named are fields that hold a user's id, shown by the name the image
// carries beside it (field + "Name"), or not at all when it has none.
var named = map[string]string{"invitedBy": "Invited by", "ownerId": "Owner"}

// permissionLists are fields that list permission names (a permissions
// change's names added and removed), shown with the catalog's labels.
var permissionLists = map[string]string{"added": "Permissions added", "removed": "Permissions removed"}

// isIDField reports whether a field is named like an internal id.
func isIDField(k string) bool {
	return len(k) > 2 && (strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "ID"))
}

// order puts the fields people care about first.
var order = map[string]int{"role": 1, "permissions": 2, "added": 2, "removed": 2, "status": 3, "state": 4, "firstName": 5, "lastName": 6, "email": 7, "name": 8, "invitedBy": 9}

// Changes returns the readable lines of what went from before to after, for
// example "Role: member → admin" and "Permissions added: Billing: View
// invoices and payment methods". Either side may be nil (a creation or a
// removal), a map or any JSON-encodable value. Permission names are shown
// with their area and label from the catalog; unknown names as they are.
func Changes(before, after any, cat *domain.Catalog) []string {
	b, a := asMap(before), asMap(after)
	if b == nil && a == nil {
		return []string{}
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	// The names beside ids are shown in the id's line, not on their own.
	for k := range named {
		delete(keys, k+"Name")
	}
	// A permissions change that carries the whole set on both sides is
	// told by the set's difference: its lists of names added and removed
	// would repeat it.
	_, pb := b["permissions"]
	_, pa := a["permissions"]
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		_, isList := permissionLists[k]
		_, isNamed := named[k]
		switch {
		case ignored[k], isList && pb && pa, isIDField(k) && !isNamed:
		default:
			sorted = append(sorted, k)
		}
	}
	sort.Slice(sorted, func(i, j int) bool {
		oi, oj := order[sorted[i]], order[sorted[j]]
		if oi == 0 {
			oi = 100
		}
		if oj == 0 {
			oj = 100
		}
		if oi != oj {
			return oi < oj
		}
		return sorted[i] < sorted[j]
	})
	lines := []string{}
	for _, k := range sorted {
		bv, inB := b[k]
		av, inA := a[k]
		if k == "permissions" {
			lines = append(lines, permissionLines(bv, av, inB, inA, cat)...)
			continue
		}
		if title, ok := permissionLists[k]; ok {
			// Whichever side holds the list: the change's names.
			v := av
			if !inA {
				v = bv
			}
			if ns := stringList(v); len(ns) > 0 {
				lines = append(lines, title+": "+names(ns, cat))
			}
			continue
		}
		if title, ok := named[k]; ok {
			bn, bok := b[k+"Name"].(string)
			an, aok := a[k+"Name"].(string)
			switch {
			case inB && inA && bok && aok && bn != an:
				lines = append(lines, fmt.Sprintf("%s: %s → %s", title, scalar(bn), scalar(an)))
			case !inB && aok && an != "":
				lines = append(lines, title+": "+an)
			case !inA && bok && bn != "":
				lines = append(lines, fmt.Sprintf("%s: %s (removed)", title, bn))
			}
			continue
		}
		bs, as := scalar(bv), scalar(av)
		switch {
		case inB && inA && bs == as:
		case !inB || b == nil:
			lines = append(lines, fmt.Sprintf("%s: %s", label(k), as))
		case !inA || a == nil:
			lines = append(lines, fmt.Sprintf("%s: %s (removed)", label(k), bs))
		default:
			lines = append(lines, fmt.Sprintf("%s: %s → %s", label(k), bs, as))
		}
	}
	return lines
}

func permissionLines(bv, av any, inB, inA bool, cat *domain.Catalog) []string {
	before, after := permSet(bv), permSet(av)
	var out []string
	switch {
	case inA && !inB:
		return []string{"Permissions: " + describeSet(after, cat)}
	case inB && !inA:
		return []string{"Permissions removed: " + describeSet(before, cat)}
	}
	if before.All && !after.All {
		out = append(out, "All permissions removed")
		if len(after.Granted) > 0 {
			out = append(out, "Permissions now: "+names(after.Granted, cat))
		}
		return out
	}
	if after.All && !before.All {
		return []string{"All permissions granted"}
	}
	added, removed := before.Diff(after)
	if len(added) > 0 {
		out = append(out, "Permissions added: "+names(added, cat))
	}
	if len(removed) > 0 {
		out = append(out, "Permissions removed: "+names(removed, cat))
	}
	return out
}

func describeSet(p domain.PermissionSet, cat *domain.Catalog) string {
	if p.All {
		return "All"
	}
	if len(p.Granted) == 0 {
		return "(none)"
	}
	return names(p.Granted, cat)
}

// names joins permission names as "Area: Label" with "; ".
func names(ns []string, cat *domain.Catalog) string {
	labels := permLabels(cat)
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		if l, ok := labels[n]; ok {
			out = append(out, l)
		} else {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

func permLabels(cat *domain.Catalog) map[string]string {
	m := map[string]string{}
	if cat == nil {
		return m
	}
	for _, a := range cat.Areas {
		for _, p := range a.Permissions {
			m[p.Name] = a.Label + ": " + p.Label
		}
	}
	return m
}

// stringList reads a list of strings from a JSON-decoded value.
func stringList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func permSet(v any) domain.PermissionSet {
	var p domain.PermissionSet
	raw, err := json.Marshal(v)
	if err == nil {
		_ = json.Unmarshal(raw, &p)
	}
	return p
}

// asMap turns a before/after image into a map through JSON; a value that is
// not an object becomes {"value": v}.
func asMap(v any) map[string]any {
	if v == nil {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return map[string]any{"value": fmt.Sprint(v)}
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) == nil {
		return m
	}
	var x any
	_ = json.Unmarshal(raw, &x)
	return map[string]any{"value": x}
}

// scalar renders a field's value for a line.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		if x == "" {
			return "(none)"
		}
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return fmt.Sprint(x)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

// label turns a camelCase field name into words: "firstName" is "First name".
func label(k string) string {
	var b strings.Builder
	for i, r := range k {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		if i == 0 {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
