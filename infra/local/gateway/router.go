package gateway

import (
	"net/url"
	"sort"
	"strings"

	"roster/infra/local/samtemplate"
)

// segKind orders route segments by specificity, most specific first.
type segKind int

const (
	segLiteral segKind = iota
	segParam
	segGreedy
)

type segment struct {
	kind segKind
	text string // literal text, or the parameter's name
}

// route is one compiled template route.
type route struct {
	key      string // "GET /api/health"
	method   string // upper-case or "ANY"
	function string // LogicalID
	segs     []segment
	catchAll bool // the HttpApi $default route
}

// match is a route that matched a request, with its path parameters.
type match struct {
	route  *route
	params map[string]string
}

// router picks the most specific route for a request, like API Gateway: a
// literal segment beats a {param}, which beats a {proxy+}; a route for the
// exact method beats ANY; the $default route matches only when nothing else does.
type router struct {
	routes []*route
}

func newRouter(t *samtemplate.Template) *router {
	rt := &router{}
	for _, f := range t.Functions {
		for _, r := range f.Routes {
			cr := &route{key: r.String(), method: r.Method, function: f.LogicalID}
			if r.Path == "$default" {
				cr.catchAll = true
				cr.key = "$default"
			} else {
				for _, s := range splitPath(r.Path) {
					switch {
					case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "+}"):
						cr.segs = append(cr.segs, segment{segGreedy, s[1 : len(s)-2]})
					case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
						cr.segs = append(cr.segs, segment{segParam, s[1 : len(s)-1]})
					default:
						cr.segs = append(cr.segs, segment{segLiteral, s})
					}
				}
			}
			rt.routes = append(rt.routes, cr)
		}
	}
	return rt
}

// splitPath splits "/a/b/" into ["a", "b", ""]; "/" gives [""].
func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

// lookup returns the best route for method and escaped path, and whether any
// route matched the path with another method.
func (rt *router) lookup(method, escapedPath string) (m match, ok bool) {
	parts := splitPath(escapedPath)
	var best []match
	for _, r := range rt.routes {
		if r.method != "ANY" && r.method != method {
			continue
		}
		if r.catchAll {
			best = append(best, match{route: r})
			continue
		}
		if params, ok := r.match(parts); ok {
			best = append(best, match{route: r, params: params})
		}
	}
	if len(best) == 0 {
		return match{}, false
	}
	sort.SliceStable(best, func(i, j int) bool { return moreSpecific(best[i].route, best[j].route) })
	return best[0], true
}

// moreSpecific reports whether a should win over b.
func moreSpecific(a, b *route) bool {
	if a.catchAll != b.catchAll {
		return b.catchAll
	}
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		if a.segs[i].kind != b.segs[i].kind {
			return a.segs[i].kind < b.segs[i].kind
		}
	}
	if len(a.segs) != len(b.segs) {
		return len(a.segs) > len(b.segs)
	}
	return a.method != "ANY" && b.method == "ANY"
}

func (r *route) match(parts []string) (map[string]string, bool) {
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, s := range r.segs {
		if s.kind == segGreedy {
			if i >= len(parts) || (i == len(parts)-1 && parts[i] == "") {
				return nil, false // {proxy+} needs at least one segment
			}
			rest := make([]string, 0, len(parts)-i)
			for _, p := range parts[i:] {
				rest = append(rest, unescape(p))
			}
			set(s.text, strings.Join(rest, "/"))
			return params, true
		}
		if i >= len(parts) {
			return nil, false
		}
		switch s.kind {
		case segLiteral:
			if parts[i] != s.text {
				return nil, false
			}
		case segParam:
			if parts[i] == "" {
				return nil, false
			}
			set(s.text, unescape(parts[i]))
		}
	}
	if len(parts) != len(r.segs) {
		return nil, false
	}
	return params, true
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
