package domain

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
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

// Catalog is the set of permissions an account can grant, grouped by area,
// with the roles a deployment names and the presets that pre-fill the editor.
type Catalog struct {
	Roles   []RoleDef `json:"roles"`
	Areas   []Area    `json:"areas"`
	Presets []Preset  `json:"presets"`

	names map[string]bool
	roles map[Role]int // position in Roles: a lower one outranks a higher one
}

// RoleDef is one role of the catalog. owner and admin come first and keep
// their meaning (the owner holds everything and is changed only by
// handover; ownership is handed to an admin); the deployer names the
// others, in decreasing rank.
type RoleDef struct {
	ID          Role   `json:"id"`
	Label       string `json:"label"`
	Description string `json:"description"`
	// Permissions pre-fill the editor when the role is chosen.
	Permissions PermissionSet `json:"permissions"`
	// ManageUsers says whether a member with this role may hold
	// users.manage (and so All).
	ManageUsers bool `json:"manageUsers"`
}

// Area groups the permissions of one part of the product.
type Area struct {
	ID          string       `json:"id"`
	Label       string       `json:"label"`
	Permissions []Permission `json:"permissions"`
}

// Permission is one grantable right, named "<area>.<verb>".
type Permission struct {
	Name        string `json:"name"`
	Label       string `json:"label"`
	Description string `json:"description"`
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

// CatalogFileEnv names an environment variable that, when set, points at a
// catalog file to use instead of the shipped one: for running the product
// locally with another deployment's roles (make dev CATALOG=...). A
// deployment edits permissions.json, which every function embeds.
const CatalogFileEnv = "ROSTER_CATALOG_FILE"

var loadCatalog = sync.OnceValue(func() *Catalog {
	data := catalogJSON
	if path := os.Getenv(CatalogFileEnv); path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			panic("permission catalog: " + err.Error())
		}
	}
	return mustParseCatalog(data)
})

// DefaultCatalog returns the catalog shipped in permissions.json, or the
// one named by ROSTER_CATALOG_FILE.
func DefaultCatalog() *Catalog { return loadCatalog() }

// CatalogJSON returns the catalog as the permissions endpoint answers it:
// the shipped file read into the types and written back, so that its
// shape is the one the API's document gives Catalog (every permission set
// with both all and granted) however the file spells it.
func CatalogJSON() []byte { return catalogAnswer() }

var catalogAnswer = sync.OnceValue(func() []byte {
	b, err := json.Marshal(DefaultCatalog())
	if err != nil {
		panic("permission catalog: " + err.Error())
	}
	return b
})

var roleID = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// ParseCatalog parses and checks a catalog document: permission names are
// unique and "<area>.<verb>", every permission and role has a label and a
// description, the roles start with owner and admin (both may manage
// members), each role's permissions are within what it may hold, and
// presets only use known names and roles. Without presets, every role but
// the owner is one.
func ParseCatalog(data []byte) (*Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
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
			if p.Label == "" || p.Description == "" {
				return nil, fmt.Errorf("permission catalog: %q needs a label and a description", p.Name)
			}
			c.names[p.Name] = true
		}
	}
	if len(c.Roles) < 2 || c.Roles[0].ID != RoleOwner || c.Roles[1].ID != RoleAdmin {
		return nil, errors.New("permission catalog: the roles start with owner and admin")
	}
	c.roles = map[Role]int{}
	for i, r := range c.Roles {
		if !roleID.MatchString(string(r.ID)) {
			return nil, fmt.Errorf("permission catalog: role id %q is not lower-case letters, digits and dashes", r.ID)
		}
		if _, twice := c.roles[r.ID]; twice {
			return nil, fmt.Errorf("permission catalog: role %q twice", r.ID)
		}
		if r.Label == "" || r.Description == "" {
			return nil, fmt.Errorf("permission catalog: role %q needs a label and a description", r.ID)
		}
		if i < 2 && !r.ManageUsers {
			return nil, fmt.Errorf("permission catalog: the %s role always may manage members", r.ID)
		}
		c.roles[r.ID] = i
		p, err := c.Normalize(r.Permissions)
		if err == nil {
			err = c.CheckRoleHolds(r.ID, p)
		}
		if err != nil {
			return nil, fmt.Errorf("permission catalog: role %q: %v", r.ID, err)
		}
		c.Roles[i].Permissions = p
	}
	if c.Presets == nil {
		for _, r := range c.Roles[1:] {
			c.Presets = append(c.Presets, Preset{ID: string(r.ID), Label: r.Label, Role: r.ID, Permissions: r.Permissions})
		}
	}
	for _, p := range c.Presets {
		err := c.Validate(p.Permissions)
		if _, ok := c.roles[p.Role]; err == nil && (!ok || p.Role == RoleOwner) {
			err = fmt.Errorf("role %q is not one that can be given", p.Role)
		}
		if err == nil {
			err = c.CheckRoleHolds(p.Role, p.Permissions)
		}
		if err != nil {
			return nil, fmt.Errorf("permission catalog: preset %q: %v", p.ID, err)
		}
	}
	return &c, nil
}

// GrantedArea is what a permission set grants in one area, by label.
type GrantedArea struct {
	Area        string
	Permissions []string
}

// Describe names what p grants, area by area in the catalog's order, by
// the catalog's labels; nil for All, which callers name as such.
func (c *Catalog) Describe(p PermissionSet) []GrantedArea {
	if p.All {
		return nil
	}
	var out []GrantedArea
	for _, a := range c.Areas {
		var labels []string
		for _, perm := range a.Permissions {
			if p.Allows(perm.Name) {
				labels = append(labels, perm.Label)
			}
		}
		if labels != nil {
			out = append(out, GrantedArea{Area: a.Label, Permissions: labels})
		}
	}
	return out
}

// RoleLabel returns the label of a role, or its id for a role the catalog
// no longer names.
func (c *Catalog) RoleLabel(r Role) string {
	if d, ok := c.Role(r); ok {
		return d.Label
	}
	return string(r)
}

// Role returns the catalog's definition of a role, and whether it has one.
func (c *Catalog) Role(id Role) (RoleDef, bool) {
	i, ok := c.roles[id]
	if !ok {
		return RoleDef{}, false
	}
	return c.Roles[i], true
}

// AssignableRole accepts the roles that can be given by invitation, edit or
// transfer: every role of the catalog but the owner, which only moves by
// handover. It returns an invalid_role error naming the field otherwise.
func (c *Catalog) AssignableRole(s string) (Role, error) {
	r := Role(s)
	if r == RoleOwner {
		return "", CodeInvalidRole.Field("role", "The owner role cannot be given; the owner can hand over ownership instead.")
	}
	if _, ok := c.roles[r]; !ok {
		ids := make([]string, 0, len(c.Roles)-1)
		for _, d := range c.Roles[1:] {
			ids = append(ids, string(d.ID))
		}
		return "", CodeInvalidRole.Field("role", "The role must be one of "+strings.Join(ids, ", ")+".")
	}
	return r, nil
}

// CheckRoleHolds refuses permissions a role may not hold: users.manage (or
// All) for a role that may not manage members. Roles the catalog no longer
// names are not checked: they can only be changed away from. It returns an
// invalid role_cannot_manage_users error naming the permissions field.
func (c *Catalog) CheckRoleHolds(role Role, p PermissionSet) error {
	d, ok := c.Role(role)
	if !ok || d.ManageUsers || !p.Allows(PermUsersManage) {
		return nil
	}
	return CodeRoleCannotManageUsers.Field("permissions", fmt.Sprintf("The %s role cannot manage members: choose another role, or leave out All and Account administration: manage.", d.Label))
}

// Outranks reports whether role a ranks above role b: it comes earlier in
// the catalog. A role the catalog does not name ranks below all others.
func (c *Catalog) Outranks(a, b Role) bool {
	rank := func(r Role) int {
		if i, ok := c.roles[r]; ok {
			return i
		}
		return len(c.Roles)
	}
	return rank(a) < rank(b)
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
