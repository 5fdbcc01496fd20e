package domain

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// catalogJSON is the deployer-editable permission catalog: areas, their
// permissions and the role presets that pre-fill the editor's checkboxes.
//
//go:embed permissions.json
var catalogJSON []byte

// Catalog is the set of permissions an account can grant, grouped by area.
type Catalog struct {
	Areas   []Area   `json:"areas"`
	Presets []Preset `json:"presets"`

	names map[string]bool
}

// Area groups the permissions of one part of the product.
type Area struct {
	ID          string       `json:"id"`
	Label       string       `json:"label"`
	Permissions []Permission `json:"permissions"`
}

// Permission is one grantable right, named "<area>.<verb>".
type Permission struct {
	Name  string `json:"name"`
	Label string `json:"label"`
}

// Preset pre-fills a role and permissions in the editor; it grants nothing by itself.
type Preset struct {
	ID          string        `json:"id"`
	Label       string        `json:"label"`
	Role        Role          `json:"role"`
	Permissions PermissionSet `json:"permissions"`
}

// Well-known permission names the server itself checks.
const (
	PermUsersView      = "users.view"
	PermUsersManage    = "users.manage"
	PermHistoryView    = "history.view"
	PermProjectsView   = "projects.view"
	PermProjectsManage = "projects.manage"
)

var defaultCatalog = mustParseCatalog(catalogJSON)

// DefaultCatalog returns the catalog shipped in permissions.json.
func DefaultCatalog() *Catalog { return defaultCatalog }

// CatalogJSON returns the catalog as the permissions endpoint answers it:
// the shipped file read into the types and written back, so that its
// shape is the one the API's document gives Catalog (every permission set
// with both all and granted) however the file spells it.
func CatalogJSON() []byte { return catalogAnswer() }

var catalogAnswer = sync.OnceValue(func() []byte {
	b, err := json.Marshal(defaultCatalog)
	if err != nil {
		panic("permission catalog: " + err.Error())
	}
	return b
})

// ParseCatalog parses and checks a catalog document: names are unique,
// "<area>.view" or "<area>.manage", and presets only use known names.
func ParseCatalog(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("permission catalog: %w", err)
	}
	c.names = map[string]bool{}
	for _, a := range c.Areas {
		for _, p := range a.Permissions {
			if !strings.HasPrefix(p.Name, a.ID+".") {
				return nil, fmt.Errorf("permission catalog: %q is not in area %q", p.Name, a.ID)
			}
			if c.names[p.Name] {
				return nil, fmt.Errorf("permission catalog: %q twice", p.Name)
			}
			c.names[p.Name] = true
		}
	}
	for _, p := range c.Presets {
		if err := c.Validate(p.Permissions); err != nil {
			return nil, fmt.Errorf("permission catalog: preset %q: %v", p.ID, err)
		}
	}
	return &c, nil
}

func mustParseCatalog(data []byte) *Catalog {
	c, err := ParseCatalog(data)
	if err != nil {
		panic(err)
	}
	return c
}

// Has reports whether name is in the catalog.
func (c *Catalog) Has(name string) bool { return c.names[name] }

// Validate checks that every granted name is in the catalog. It returns an
// unknown_permission error naming the first unknown one.
func (c *Catalog) Validate(p PermissionSet) error {
	if p.All {
		if len(p.Granted) > 0 {
			return CodeInvalidPermissions.Field("permissions", "Choose either All or a list of permissions, not both.")
		}
		return nil
	}
	for _, n := range p.Granted {
		if !c.names[n] {
			return CodeUnknownPermission.Field("permissions", fmt.Sprintf("%q is not a known permission.", n))
		}
	}
	return nil
}

// Normalize returns p validated, sorted and deduplicated, with each
// "<area>.manage" also granting "<area>.view" (managing implies seeing).
func (c *Catalog) Normalize(p PermissionSet) (PermissionSet, error) {
	if err := c.Validate(p); err != nil {
		return PermissionSet{}, err
	}
	if p.All {
		return PermissionSet{All: true}, nil
	}
	set := map[string]bool{}
	for _, n := range p.Granted {
		set[n] = true
		if area, ok := strings.CutSuffix(n, ".manage"); ok && c.names[area+".view"] {
			set[area+".view"] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return PermissionSet{Granted: out}, nil
}

// PermissionSet is {"all": true} or {"all": false, "granted": [...]}.
type PermissionSet struct {
	All     bool     `dynamodbav:"all" json:"all"`
	Granted []string `dynamodbav:"granted" json:"granted"`
}

// MarshalJSON always writes granted as a list (never null) when All is false.
func (p PermissionSet) MarshalJSON() ([]byte, error) {
	if p.All {
		return []byte(`{"all":true,"granted":[]}`), nil
	}
	g := p.Granted
	if g == nil {
		g = []string{}
	}
	return json.Marshal(struct {
		All     bool     `json:"all"`
		Granted []string `json:"granted"`
	}{false, g})
}

// Allows reports whether the set includes the named permission.
func (p PermissionSet) Allows(name string) bool {
	return p.All || slices.Contains(p.Granted, name)
}

// Within reports whether every permission of p is also in q.
// Only a set with All contains a set with All.
func (p PermissionSet) Within(q PermissionSet) bool {
	if q.All {
		return true
	}
	if p.All {
		return false
	}
	for _, n := range p.Granted {
		if !slices.Contains(q.Granted, n) {
			return false
		}
	}
	return true
}

// Equal reports whether p and q grant the same permissions.
func (p PermissionSet) Equal(q PermissionSet) bool { return p.Within(q) && q.Within(p) }

// Diff returns the permissions added and removed going from p to q; All is
// reported as the pseudo-permission "all".
func (p PermissionSet) Diff(q PermissionSet) (added, removed []string) {
	names := func(s PermissionSet) []string {
		if s.All {
			return []string{"all"}
		}
		return s.Granted
	}
	a, b := names(p), names(q)
	for _, n := range b {
		if !slices.Contains(a, n) {
			added = append(added, n)
		}
	}
	for _, n := range a {
		if !slices.Contains(b, n) {
			removed = append(removed, n)
		}
	}
	return added, removed
}
